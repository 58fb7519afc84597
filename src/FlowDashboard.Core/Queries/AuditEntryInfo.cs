namespace FlowDashboard.Queries;

/// <summary>One operator action in the audit log.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What (<c>retry-step</c>, <c>resume</c>, <c>restart</c>, <c>cancel</c>, <c>delete</c>, <c>trigger</c>).</param>
/// <param name="RunId">The run acted on.</param>
/// <param name="Target">The step or other thing acted on, if any.</param>
/// <param name="Detail">Anything else recorded.</param>
public sealed record AuditEntryInfo(DateTimeOffset At, string Actor, string Action, string? RunId, string? Target, string? Detail);
