using FlowDashboard.Store;

namespace FlowDashboard.Engine;

/// <summary>What an attempt to take a run's lease found.</summary>
/// <param name="Run">The run, leased, with its steps in order; null when not taken.</param>
/// <param name="NotDueUntil">Set when the run has work left but not yet: the caller reschedules it.</param>
internal sealed record AcquireResult(RunEntity? Run, DateTime? NotDueUntil)
{
    public static AcquireResult Nothing { get; } = new(null, null);
}
