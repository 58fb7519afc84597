namespace FlowDashboard.Engine;

/// <summary>The rules for step names; <c>#</c> and a leading <c>$</c> are the engine's own.</summary>
internal static class StepNames
{
    public const string FailureHandler = "$on-failure";

    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 200) throw new ArgumentException($"Step name '{name[..40]}...' is longer than 200 characters.", nameof(name));
        if (name.Contains('#', StringComparison.Ordinal) || name.StartsWith('$'))
        {
            throw new ArgumentException($"Step name '{name}' may not contain '#' or start with '$': the engine uses them for repeated and internal steps.", nameof(name));
        }
    }
}
