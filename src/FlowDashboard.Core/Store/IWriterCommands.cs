using System.Data.Common;
using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>
/// The statements of the hot path (a run created, its lease taken, a step begun, a step completed, the run
/// completed, and the lease check that begins each write of an execution), prepared once on the writer's connection and
/// bound again for every write, in the provider's dialect. They cost a fraction of the same writes through EF Core's
/// change tracker or <c>ExecuteUpdate</c>, and every step pays them.
/// </summary>
internal interface IWriterCommands : IDisposable
{
    /// <summary>Has every statement run inside <paramref name="transaction"/>, the batch's.</summary>
    void Enlist(DbTransaction? transaction);

    /// <summary>Inserts a pending run; false when its id or its singleton key is taken, and nothing is inserted.</summary>
    bool InsertRun(RunEntity run);

    /// <summary>
    /// Takes a run's lease for <paramref name="duration"/> with a compare-and-swap on its <paramref name="version"/>,
    /// only where no live lease holds it; with <paramref name="maxInFlight"/>, only while fewer runs of the workflow
    /// (and key) hold a live lease, counted in the same statement so two workers can never both take the last slot.
    /// Whether a lease is live is judged on the database's clock where several processes share the store (each
    /// node's clock may drift); <paramref name="now"/> is the time shown (the run's start). False when the version
    /// moved on, a live lease holds the run, or no slot is free.
    /// </summary>
    bool TakeLease(RunEntity run, long version, string owner, TimeSpan duration, RunStatus status, DateTime now, int? maxInFlight);

    /// <summary>Extends a held lease by <paramref name="duration"/> from now, on the clock <see cref="TakeLease"/> uses; false when <paramref name="owner"/> no longer holds it.</summary>
    bool RenewLease(string runId, string owner, TimeSpan duration, DateTime now);

    /// <summary>Completes a run and gives its lease up; false when <paramref name="owner"/> no longer holds it.</summary>
    bool CompleteRun(string runId, string owner, string? output, DateTime now);

    /// <summary>Cancels the steps of a run that were still sleeping, waiting or set back to pending.</summary>
    void CancelOpenSteps(string runId, DateTime now);

    /// <summary>
    /// Begins an attempt of a step in one statement where the dialect allows: inserts the step's row (a new step;
    /// sets its <see cref="StepEntity.Id"/>) or marks it running attempt <paramref name="number"/>, and inserts the attempt, running.
    /// </summary>
    void BeginAttempt(StepEntity step, bool isNew, int number, DateTime scheduledAt, DateTime startedAt);

    /// <summary>Records a step's result and ends its running attempt <paramref name="number"/> as completed, in one statement where the dialect allows.</summary>
    void CompleteAttempt(long stepId, string? output, DateTime completedAt, int? completionOrder, int number);

    /// <summary>
    /// Locks the run's row until the batch commits, so that what a write reads of the run and what it then writes see
    /// no other writer in between (a notify and the wait it looks for, an operator's action and an execution).
    /// </summary>
    void LockRun(string runId);

    /// <summary>Holds a lock on a flow-control key until the batch commits: the starts counted against its rate are counted under it.</summary>
    void LockKey(string key);

    /// <summary>
    /// Begins one write of a batch, in one round trip: opens its savepoint when <paramref name="savepoint"/> (a write
    /// alone in its batch needs none), and with a <paramref name="lease"/> checks, with the run's row locked until the
    /// batch commits, that the lease is still held. False when it is not: the write must not run.
    /// </summary>
    bool BeginWrite(bool savepoint, LeaseFence? lease);

    /// <summary>Ends a write begun with a savepoint: keeps what it did, or undoes it and leaves the rest of the batch.</summary>
    void EndWrite(bool keep);
}
