namespace FlowDashboard.Exceptions;

/// <summary>Errors keyed by member, as one line of text for an exception's message or a step's error.</summary>
internal static class ErrorText
{
    /// <summary><c>quantity: Expected a whole number.; name: The name field is required.</c> (a message without a key stands alone).</summary>
    public static string Join(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(m => e.Key.Length == 0 ? m : $"{e.Key}: {m}")));
}
