using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>
/// How many runs are in a state, kept by triggers on the runs table (every insert, status change and delete),
/// so the overview's counts are a read of a few rows however many runs the store holds. A state's count is the sum of
/// its rows: on PostgreSQL each connection adds to a row of its own (<see cref="Shard"/>), so the writers of many
/// nodes never queue on one row lock until commit; SQLite's one writer keeps shard 0.
/// </summary>
internal sealed class RunCountEntity
{
    public RunStatus Status { get; set; }

    /// <summary>Which of the state's rows (see the class).</summary>
    public short Shard { get; set; }

    /// <summary>What this row adds to the state's count (a row may be negative: runs leave a state on another connection than they entered it).</summary>
    public long Count { get; set; }
}
