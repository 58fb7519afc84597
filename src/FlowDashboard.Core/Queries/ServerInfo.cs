namespace FlowDashboard.Queries;

/// <summary>A Hangfire server executing runs, as its last heartbeat tells.</summary>
/// <param name="Name">The server's name (machine and process).</param>
/// <param name="Workers">How many workers it runs.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Heartbeat">Its last sign of life.</param>
public sealed record ServerInfo(string Name, int Workers, DateTimeOffset StartedAt, DateTimeOffset? Heartbeat);
