namespace FlowDashboard.Store;

/// <summary>What a write of an execution holds only while it is true: <paramref name="Owner"/> holds the lease of run <paramref name="RunId"/>.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Owner">The execution's lease owner.</param>
internal sealed record LeaseFence(string RunId, string Owner);
