namespace FlowDashboard.Queries;

/// <summary>How many runs reached a final state in one stretch of time (a minute, or a bucket of minutes).</summary>
/// <param name="Minute">The stretch's first minute (UTC).</param>
/// <param name="Completed">Runs that completed in it.</param>
/// <param name="Failed">Runs that failed in it.</param>
/// <param name="Length">How long the stretch is.</param>
public sealed record ThroughputPoint(DateTimeOffset Minute, int Completed, int Failed, TimeSpan Length);
