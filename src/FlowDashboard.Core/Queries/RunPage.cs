using FlowDashboard.Client;

namespace FlowDashboard.Queries;

/// <summary>One page of the runs list, in the order asked for.</summary>
/// <param name="Runs">The runs on this page.</param>
/// <param name="NextCursor">Pass it back for the next page (older ones when newest first); null on the last page.</param>
public sealed record RunPage(IReadOnlyList<RunSummaryInfo> Runs, string? NextCursor);
