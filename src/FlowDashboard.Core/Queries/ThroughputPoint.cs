namespace FlowDashboard.Queries;

/// <summary>How many runs reached a final state in one minute.</summary>
/// <param name="Minute">The minute's start (UTC).</param>
/// <param name="Completed">Runs that completed in it.</param>
/// <param name="Failed">Runs that failed in it.</param>
public sealed record ThroughputPoint(DateTimeOffset Minute, int Completed, int Failed);
