namespace FlowDashboard.Queries;

/// <summary>How much the store holds: what the overview shows beside the retention in force.</summary>
/// <param name="SizeBytes">The bytes its tables take on disk, indexes included.</param>
/// <param name="Runs">How many runs it holds.</param>
/// <param name="OldestRunAt">When the oldest run it holds was created; null when it holds none.</param>
public sealed record StoreInfo(long SizeBytes, int Runs, DateTimeOffset? OldestRunAt);
