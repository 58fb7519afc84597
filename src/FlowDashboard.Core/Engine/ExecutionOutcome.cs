namespace FlowDashboard.Engine;

/// <summary>How one execution of a body ended: it returned, it threw, or it halted.</summary>
/// <param name="Halt">Why it halted; null when the body itself finished.</param>
/// <param name="Output">The body's result as JSON, when it returned.</param>
/// <param name="Error">What the body threw outside any step.</param>
internal sealed record ExecutionOutcome(Halt? Halt, string? Output, Exception? Error)
{
    public static ExecutionOutcome Halted(Halt halt) => new(halt, null, null);
}
