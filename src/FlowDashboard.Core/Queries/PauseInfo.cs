namespace FlowDashboard.Queries;

/// <summary>A paused workflow, or one flow-control key of it, and how many runs it holds.</summary>
/// <param name="Workflow">The workflow.</param>
/// <param name="Key">The flow-control key paused; null for the whole workflow.</param>
/// <param name="PausedAt">When it was paused.</param>
/// <param name="PausedBy">Who paused it.</param>
/// <param name="Held">Its runs that are held: due (new, woken, or stopped at a step boundary) but not going on.</param>
public sealed record PauseInfo(string Workflow, string? Key, DateTimeOffset PausedAt, string PausedBy, int Held);
