using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>
/// How many runs are in a state, kept by triggers on the runs table (every insert, status change and delete),
/// so the overview's counts are a read of seven rows however many runs the store holds.
/// </summary>
internal sealed class RunCountEntity
{
    public RunStatus Status { get; set; }
    public long Count { get; set; }
}
