namespace FlowDashboard.Engine;

/// <summary>What the audit log says about an operator action, written in the same commit as the action.</summary>
/// <param name="Actor">Who acted.</param>
/// <param name="Action">What they did, one word (<c>retry-step</c>, <c>resume</c>, ...).</param>
/// <param name="Target">The step or other thing acted on, if not the run as a whole.</param>
/// <param name="Detail">Anything else worth keeping.</param>
internal sealed record AuditRecord(string Actor, string Action, string? Target = null, string? Detail = null);
