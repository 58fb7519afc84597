using System.Data.Common;
using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>
/// The statements of the hot path (a run created, its lease taken, a step begun, a step completed, the run
/// completed, and the lease check before each write of an execution), prepared once on the writer's connection and
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
    /// Takes a run's lease with a compare-and-swap on its <paramref name="version"/>; with <paramref name="maxInFlight"/>,
    /// only while fewer runs of the workflow (and key) hold a lease, counted in the same statement so two
    /// workers can never both take the last slot. False when the version moved on or no slot is free.
    /// </summary>
    bool TakeLease(RunEntity run, long version, string owner, DateTime expires, RunStatus status, DateTime now, int? maxInFlight);

    /// <summary>Completes a run and gives its lease up; false when <paramref name="owner"/> no longer holds it.</summary>
    bool CompleteRun(string runId, string owner, string? output, DateTime now);

    /// <summary>Cancels the steps of a run that were still sleeping, waiting or set back to pending.</summary>
    void CancelOpenSteps(string runId, DateTime now);

    /// <summary>Whether <paramref name="owner"/> still holds the lease of run <paramref name="runId"/>.</summary>
    bool HoldsLease(string runId, string owner);

    /// <summary>Inserts a step's row and sets its <see cref="StepEntity.Id"/>.</summary>
    void InsertStep(StepEntity step);

    /// <summary>Marks a step that ran before as running its attempt <paramref name="attempts"/>.</summary>
    void StartStep(long stepId, int attempts);

    /// <summary>Records a step's result.</summary>
    void CompleteStep(long stepId, string? output, DateTime completedAt, int? completionOrder, int attempts);

    /// <summary>Inserts an attempt, running (no end) or already ended.</summary>
    void InsertAttempt(long stepId, int number, AttemptStatus status, DateTime scheduledAt, DateTime startedAt, DateTime? endedAt);

    /// <summary>Ends a running attempt as completed.</summary>
    void CompleteAttempt(long stepId, int number, DateTime endedAt);

    /// <summary>
    /// Locks the run's row until the batch commits, so that what a write reads of the run and what it then writes see
    /// no other writer in between (a notify and the wait it looks for, an operator's action and an execution).
    /// </summary>
    void LockRun(string runId);

    /// <summary>Holds a lock on a flow-control key until the batch commits: the starts counted against its rate are counted under it.</summary>
    void LockKey(string key);

    /// <summary>Opens the savepoint one write of a batch runs in.</summary>
    void Savepoint();

    /// <summary>Keeps what the write since <see cref="Savepoint"/> did.</summary>
    void Release();

    /// <summary>Undoes what the write since <see cref="Savepoint"/> did, leaving the rest of the batch.</summary>
    void RollBack();
}
