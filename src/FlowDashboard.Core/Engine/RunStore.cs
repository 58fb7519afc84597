using FlowDashboard.Execution;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Engine;

/// <summary>
/// Every change of a run's, step's or attempt's state, each one transaction. A write made on behalf of
/// an execution is fenced: it commits only while that execution still owns the run's lease. The
/// transitions callers make (create, cancel) are in RunStore.Callers.cs.
/// </summary>
internal sealed partial class RunStore(
    IDbContextFactory<FlowDbContext> contexts, RunChangeFeed changes, JobDispatcher jobs, WorkflowRegistry registry, TimeProvider time)
{
    private const string InterruptedMessage = "The process executing this attempt stopped before the attempt finished.";

    /// <summary>How soon a run held back by flow control tries again.</summary>
    private static readonly TimeSpan ThrottleBackoff = TimeSpan.FromMilliseconds(500);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Takes the run's lease with a compare-and-swap on its version, if it is due and no live lease holds it.</summary>
    public async Task<AcquireResult> TryAcquireAsync(string runId, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var now = Now;
        if (run?.DueAt is not { } due) return AcquireResult.Nothing;
        if (due > now) return new AcquireResult(null, due);
        if (run.LeaseOwner is not null && run.LeaseExpiresAt > now) return AcquireResult.Nothing;

        var status = run.Status is RunStatus.Pending or RunStatus.Sleeping or RunStatus.Waiting ? RunStatus.Running : run.Status;
        var startedAt = run.StartedAt ?? now;
        var version = run.Version;
        var candidate = db.Runs.Where(r => r.Id == runId && r.Version == version);

        // Flow control: the count of the workflow's (and key's) leased runs is checked in the very statement that
        // takes the lease, so two workers can never both take the last slot.
        if (registry.Find(run.Workflow)?.Options.FlowControl is { MaxInFlight: { } max } && run.Status != RunStatus.Failed)
        {
            var (workflow, key) = (run.Workflow, run.ConcurrencyKey);
            candidate = candidate.Where(_ => db.Runs.Count(o => o.Workflow == workflow && o.ConcurrencyKey == key && o.LeaseOwner != null && o.LeaseExpiresAt > now) < max);
        }

        var taken = await candidate
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.LeaseOwner, owner)
                    .SetProperty(r => r.LeaseExpiresAt, now + leaseDuration)
                    .SetProperty(r => r.Version, version + 1)
                    .SetProperty(r => r.Status, status)
                    .SetProperty(r => r.StartedAt, startedAt)
                    .SetProperty(r => r.UpdatedAt, now)
                    .SetProperty(r => r.WakePending, false),
                cancellationToken);
        if (taken == 0)
        {
            if (!await db.Runs.AnyAsync(r => r.Id == runId && r.Version == version, cancellationToken)) return AcquireResult.Nothing;

            // Held back by flow control: try again shortly; the console shows the run throttled meanwhile.
            var retryAt = now + ThrottleBackoff;
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ThrottledUntil, retryAt), cancellationToken);
            changes.Publish(runId);
            return new AcquireResult(null, retryAt);
        }

        // Whatever attempt is still marked running belongs to an execution that is gone: the lease was free.
        // (A call's attempt is its own job's, which runs without the run's lease.)
        await db.Attempts
            .Where(a => db.Steps.Where(s => s.RunId == runId && s.Kind != StepKind.Call).Select(s => s.Id).Contains(a.StepId) && a.Status == AttemptStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AttemptStatus.Interrupted).SetProperty(a => a.Error, InterruptedMessage), cancellationToken);

        run.Steps = await db.Steps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
        run.LeaseOwner = owner;
        run.Status = status;
        run.StartedAt = startedAt;
        run.Version = version + 1;
        changes.Publish(runId);
        return new AcquireResult(run, null);
    }

    /// <summary>The run with its steps again, while this execution still holds it.</summary>
    public async Task<RunEntity?> TryReloadAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner, cancellationToken);
        if (run is null) return null;
        run.Steps = await db.Steps.AsNoTracking().Where(s => s.RunId == lease.RunId).OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
        return run;
    }

    public async Task<bool> RenewAsync(RunLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expires = Now + leaseDuration;
        return await db.Runs
            .Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, expires), cancellationToken) == 1;
    }

    public async Task ReleaseAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs
            .Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null), cancellationToken);
    }

    /// <summary>Records the start of an attempt (inserting the step on its first), before the step's code runs.</summary>
    public async Task<StepEntity> BeginAttemptAsync(
        RunLease lease, StepEntity? step, string name, int sequence, StepKind kind, DateTime scheduledAt, int? group, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        if (step is null)
        {
            step = new StepEntity
            {
                RunId = lease.RunId,
                Name = name,
                Sequence = sequence,
                Kind = kind,
                Status = StepStatus.Running,
                StartedAt = now,
                AttemptCount = 1,
                ParallelGroup = group,
            };
            db.Steps.Add(step);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            step.AttemptCount++;
            step.Status = StepStatus.Running;
            step.NextAttemptAt = null;
            var count = step.AttemptCount;
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.AttemptCount, count).SetProperty(x => x.Status, StepStatus.Running).SetProperty(x => x.NextAttemptAt, (DateTime?)null),
                cancellationToken);
        }

        db.Attempts.Add(new AttemptEntity
        {
            StepId = step.Id,
            Number = step.AttemptCount,
            Status = AttemptStatus.Running,
            ScheduledAt = scheduledAt,
            StartedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        return step;
    }

    /// <summary>
    /// Records a step's result: from here on, replays return it and the step never runs again. A failure
    /// handler's completion also releases the run for good.
    /// </summary>
    public async Task CompleteStepAsync(RunLease lease, StepEntity step, string? output, int? completionOrder, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Completed).SetProperty(x => x.Output, output)
                .SetProperty(x => x.CompletedAt, now).SetProperty(x => x.Error, (string?)null).SetProperty(x => x.CompletionOrder, completionOrder),
            cancellationToken);
        var number = step.AttemptCount;
        await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Completed).SetProperty(a => a.EndedAt, now), cancellationToken);

        // A finished failure handler leaves the failed run with nothing due, in the same commit.
        if (step.Kind == StepKind.FailureHandler) await SettleAsync(db, lease, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        step.Status = StepStatus.Completed;
        step.Output = output;
        step.CompletedAt = now;
    }

    /// <summary>Records a failed attempt whose step will be tried again at <paramref name="nextAttemptAt"/>; the run is suspended once nothing else can go on.</summary>
    public async Task ScheduleRetryAsync(
        RunLease lease, StepEntity step, Exception error, DateTime nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        await FailAttemptAsync(db, step, error, now, cancellationToken);
        await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.NextAttemptAt, nextAttemptAt).SetProperty(x => x.Error, error.Message), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
    }

    /// <summary>
    /// Records a step that failed for good. A body step also fails the run; with a failure handler the
    /// run stays due (and leased) so the handler runs next. A failed handler just leaves nothing due.
    /// </summary>
    public async Task FailStepAsync(RunLease lease, StepEntity step, Exception error, bool handlerFollows, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        await FailAttemptAsync(db, step, error, now, cancellationToken);
        string? parent = null;
        await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Failed).SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.Error, error.Message).SetProperty(x => x.NextAttemptAt, (DateTime?)null),
            cancellationToken);
        if (step.Kind == StepKind.FailureHandler)
        {
            await SettleAsync(db, lease, cancellationToken);
        }
        else
        {
            parent = await FailRunAsync(db, lease, $"Step '{step.Name}' failed: {error.Message}", error.GetType().FullName, handlerFollows, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        Wake(parent);
        step.Status = StepStatus.Failed;
    }

    /// <summary>Fails the run for a reason outside any step (the body threw, a replay was not deterministic).</summary>
    public async Task FailRunAsync(RunLease lease, string error, string? errorType, bool handlerFollows, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        var parent = await FailRunAsync(db, lease, error, errorType, handlerFollows, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        Wake(parent);
    }

    /// <summary>Records a sleep step, completed at once when its time has passed (then with its completion order).</summary>
    public async Task<StepEntity> BeginSleepAsync(
        RunLease lease, string name, int sequence, DateTime wakeAt, int? group, int? completionOrder, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        var done = completionOrder is not null;
        var step = new StepEntity
        {
            RunId = lease.RunId,
            Name = name,
            Sequence = sequence,
            Kind = StepKind.Sleep,
            Status = done ? StepStatus.Completed : StepStatus.Sleeping,
            StartedAt = now,
            WakeAt = wakeAt,
            CompletedAt = done ? now : null,
            CompletionOrder = completionOrder,
            ParallelGroup = group,
        };
        db.Steps.Add(step);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        return step;
    }

    public async Task CompleteSleepAsync(RunLease lease, StepEntity step, int completionOrder, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Completed).SetProperty(x => x.CompletedAt, now).SetProperty(x => x.CompletionOrder, completionOrder),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        step.Status = StepStatus.Completed;
    }

    /// <summary>Marks an attempt the body no longer needs (it returned, or the run halted) as cancelled, with its step.</summary>
    public async Task CancelAttemptAsync(RunLease lease, StepEntity step, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await FenceAsync(db, lease, now, cancellationToken);
        var number = step.AttemptCount;
        await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number && a.Status == AttemptStatus.Running).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Cancelled).SetProperty(a => a.EndedAt, now), cancellationToken);
        await db.Steps.Where(s => s.Id == step.Id && s.Status == StepStatus.Running).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
    }

    /// <summary>
    /// Ends an execution that cannot go on: the run takes <paramref name="status"/> and is due again at
    /// <paramref name="dueAt"/> (null: only an outside event wakes it), and the lease is released, in one commit.
    /// </summary>
    public async Task<DateTime?> SuspendAsync(RunLease lease, RunStatus status, DateTime? dueAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;

        // Something arrived for a step while this execution ran (an event, a response, a child's end): go on at once.
        var woken = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).Select(r => (bool?)r.WakePending).FirstOrDefaultAsync(cancellationToken)
            ?? throw new LeaseLostException(lease.RunId);
        var due = woken ? now : dueAt;
        await db.Runs.Where(r => r.Id == lease.RunId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, woken ? RunStatus.Running : status).SetProperty(r => r.DueAt, due).SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.WakePending, false).SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        return due;
    }

    /// <summary>Completes the run; steps it no longer waited for (the losers of a WhenAny) are cancelled in the same commit.</summary>
    public async Task CompleteRunAsync(RunLease lease, string? output, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, RunStatus.Completed).SetProperty(r => r.Output, output)
                .SetProperty(r => r.CompletedAt, now).SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.DueAt, (DateTime?)null)
                .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(r => r.SingletonKey, (string?)null),
            cancellationToken);
        if (rows == 0) throw new LeaseLostException(lease.RunId);
        await db.Steps.Where(s => s.RunId == lease.RunId && (s.Status == StepStatus.Sleeping || s.Status == StepStatus.Waiting || s.Status == StepStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now), cancellationToken);
        var parent = await WakeParentAsync(db, lease.RunId, RunStatus.Completed, output, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(lease.RunId);
        Wake(parent);
    }

    /// <summary>Leaves a failed run with nothing due: its failure handler has finished.</summary>
    public async Task SettleAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await SettleAsync(db, lease, cancellationToken);
        changes.Publish(lease.RunId);
    }

    private static async Task FenceAsync(FlowDbContext db, RunLease lease, DateTime now, CancellationToken cancellationToken)
    {
        var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UpdatedAt, now), cancellationToken);
        if (rows == 0) throw new LeaseLostException(lease.RunId);
    }

    private static async Task FailAttemptAsync(FlowDbContext db, StepEntity step, Exception error, DateTime now, CancellationToken cancellationToken)
    {
        var number = step.AttemptCount;
        var type = error.GetType().FullName;
        var trace = error.StackTrace;
        await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Failed).SetProperty(a => a.EndedAt, now).SetProperty(a => a.Error, error.Message)
                .SetProperty(a => a.ErrorType, type).SetProperty(a => a.StackTrace, trace),
            cancellationToken);
    }

    private static async Task<string?> FailRunAsync(
        FlowDbContext db, RunLease lease, string error, string? errorType, bool handlerFollows, DateTime now, CancellationToken cancellationToken)
    {
        await db.Runs.Where(r => r.Id == lease.RunId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, RunStatus.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.ErrorType, errorType)
                .SetProperty(r => r.CompletedAt, now).SetProperty(r => r.DueAt, handlerFollows ? now : null)
                .SetProperty(r => r.FailureCount, r => r.FailureCount + 1).SetProperty(r => r.SingletonKey, (string?)null)

                // With no handler to follow, the run is settled in this commit: an operator may resume it at once.
                .SetProperty(r => r.LeaseOwner, r => handlerFollows ? r.LeaseOwner : null)
                .SetProperty(r => r.LeaseExpiresAt, r => handlerFollows ? r.LeaseExpiresAt : null),
            cancellationToken);

        // Waiting steps (a call, a child, an event) will get nothing now; a parent waiting for this run learns it failed.
        await db.Steps.Where(s => s.RunId == lease.RunId && (s.Status == StepStatus.Waiting || s.Status == StepStatus.Sleeping))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now), cancellationToken);
        return await WakeParentAsync(db, lease.RunId, RunStatus.Failed, null, error, now, cancellationToken);
    }

    /// <summary>
    /// Tells a run woken by this commit (a parent whose child ended) and gives it a job: an execution that
    /// holds it while it runs other steps hears of it at once, and the job finds it otherwise.
    /// </summary>
    private void Wake(string? runId)
    {
        if (runId is null) return;
        changes.Publish(runId);
        jobs.Enqueue(runId);
    }

    private static async Task SettleAsync(FlowDbContext db, RunLease lease, CancellationToken cancellationToken)
    {
        var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.DueAt, (DateTime?)null).SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null),
            cancellationToken);
        if (rows == 0) throw new LeaseLostException(lease.RunId);
    }
}
