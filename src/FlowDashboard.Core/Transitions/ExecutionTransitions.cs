using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Transitions;

/// <summary>
/// The transitions of an execution: taking, renewing and releasing the run's lease, each attempt of a step and its
/// result, retries, sleeps, and the run's end. Every write is fenced by the lease (see <see cref="RunWriter.Enqueue"/>):
/// it commits only while the execution still owns the run, and only after its earlier writes.
/// </summary>
internal sealed class ExecutionTransitions(
    IDbContextFactory<FlowDbContext> contexts,
    RunWriter writer,
    WorkflowRegistry registry,
    PauseRegistry pauses,
    ILogger<ExecutionTransitions> logger)
{
    /// <summary>How soon a run held back by flow control tries again.</summary>
    private static readonly TimeSpan ThrottleBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>Takes the run's lease with a compare-and-swap on its version, if it is due and no live lease holds it.</summary>
    public async Task<AcquireResult> TryAcquireAsync(string runId, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        RunEntity? run;
        await using (var read = await contexts.CreateDbContextAsync(cancellationToken))
        {
            run = await read.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        }

        if (run?.DueAt is not { } due) return AcquireResult.Nothing;
        if (due > writer.Now) return new AcquireResult(null, due);
        if (run.LeaseOwner is not null && run.LeaseExpiresAt > writer.Now) return AcquireResult.Nothing;

        // A paused workflow's run is held where it stands (new, woken, retrying) until the pause is resumed. Its
        // failure handler still runs: the run has failed already.
        if (run.Status != RunStatus.Failed && await pauses.IsPausedAsync(run.Workflow, run.ConcurrencyKey, cancellationToken)
            && await HoldAsync(run, cancellationToken))
        {
            return AcquireResult.Nothing;
        }

        var status = run.Status is RunStatus.Pending or RunStatus.Sleeping or RunStatus.Waiting ? RunStatus.Running : run.Status;
        var version = run.Version;
        var maxInFlight = run.Status == RunStatus.Failed ? null : registry.Find(run.Workflow)?.Options.FlowControl?.MaxInFlight;
        var (taken, at) = await writer.WriteAsync<(bool?, DateTime)>(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            if (!batch.Commands.TakeLease(run, version, owner, leaseDuration, status, now, maxInFlight))
            {
                if (!await db.Runs.AnyAsync(r => r.Id == runId && r.Version == version, cancellationToken)) return (null, now);

                // Held back by flow control: try again shortly; the console shows the run throttled meanwhile.
                var retryAt = now + ThrottleBackoff;
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ThrottledUntil, retryAt), cancellationToken);
                return (false, retryAt);
            }

            // A run that never started has no steps yet: nothing to read or mend.
            if (run.StartedAt is null) return (true, now);

            // Whatever attempt is still marked running belongs to an execution that is gone: the lease was free.
            // (A call's attempt is its own job's, which runs without the run's lease.)
            await db.Attempts
                .Where(a => db.Steps.Where(s => s.RunId == runId && s.Kind != StepKind.Call).Select(s => s.Id).Contains(a.StepId) && a.Status == AttemptStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AttemptStatus.Interrupted).SetProperty(a => a.Error, AttemptEnds.InterruptedMessage), cancellationToken);
            return (true, now);
        }, cancellationToken);

        switch (taken)
        {
            case null:
                return AcquireResult.Nothing;
            case false:
                writer.Publish(runId);
                return new AcquireResult(null, at);
        }

        if (run.StartedAt is not null)
        {
            await using var read = await contexts.CreateDbContextAsync(cancellationToken);
            run.Steps = await read.Steps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
        }

        run.LeaseOwner = owner;
        run.Status = status;
        run.StartedAt ??= at;
        run.Version = version + 1;
        writer.Publish(runId);
        return new AcquireResult(run, null);
    }

    /// <summary>
    /// Holds a run of a paused workflow that no execution holds: it is not due until the pause is resumed. False when
    /// the store has no such pause any more (resumed meanwhile: this node's copy was old), and the run goes on.
    /// </summary>
    private async Task<bool> HoldAsync(RunEntity run, CancellationToken cancellationToken)
    {
        var held = await writer.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            batch.Commands.LockKey(PauseRegistry.LockKeyOf(run.Workflow));
            if (!await IsPausedAsync(db, run.Workflow, run.ConcurrencyKey, cancellationToken)) return false;
            await db.Runs.Where(r => r.Id == run.Id && r.Version == run.Version).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Held, true).SetProperty(r => r.DueAt, (DateTime?)null).SetProperty(r => r.UpdatedAt, now)
                    .SetProperty(r => r.Version, r => r.Version + 1),
                cancellationToken);
            return true;
        }, cancellationToken);
        if (held) writer.Publish(run.Id);
        else await pauses.ReadAsync(cancellationToken);
        return held;
    }

    /// <summary>
    /// Ends an execution that stopped at a step boundary because its workflow is paused: the run is held (not due) and
    /// its lease released, in one commit; if the pause was resumed meanwhile, the run is due at once instead.
    /// </summary>
    /// <returns>When the run is due again: now when it was not held, else null.</returns>
    public async Task<DateTime?> HoldAsync(RunLease lease, string workflow, string? key, CancellationToken cancellationToken)
    {
        var due = await writer.WriteAsync(lease, async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            batch.Commands.LockKey(PauseRegistry.LockKeyOf(workflow));
            var paused = await IsPausedAsync(db, workflow, key, cancellationToken);
            DateTime? dueAt = paused ? null : now;
            var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Held, paused).SetProperty(r => r.DueAt, dueAt).SetProperty(r => r.UpdatedAt, now)
                    .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(r => r.Version, r => r.Version + 1),
                cancellationToken);
            if (rows == 0) throw new LeaseLostException(lease.RunId);
            return dueAt;
        }, cancellationToken);
        lease.MarkReleased();
        writer.Publish(lease.RunId);
        return due;
    }

    private static Task<bool> IsPausedAsync(FlowDbContext db, string workflow, string? key, CancellationToken cancellationToken) =>
        db.PausedWorkflows.AnyAsync(p => p.Workflow == workflow && (p.Key == "" || p.Key == key), cancellationToken);

    /// <summary>The run with its steps again, while this execution still holds it.</summary>
    public async Task<RunEntity?> TryReloadAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner, cancellationToken);
        if (run is null) return null;
        run.Steps = await db.Steps.AsNoTracking().Where(s => s.RunId == lease.RunId).OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
        return run;
    }

    public Task<bool> RenewAsync(RunLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        writer.WriteAsync(batch => Task.FromResult(batch.Commands.RenewLease(lease.RunId, lease.Owner, leaseDuration, batch.Now)), cancellationToken);

    public async Task ReleaseAsync(RunLease lease, CancellationToken cancellationToken) =>
        await writer.WriteAsync(
            (db, _) => db.Runs
                .Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null).SetProperty(r => r.Version, r => r.Version + 1),
                    cancellationToken),
            cancellationToken);

    /// <summary>Records the start of an attempt (inserting the step on its first), durably, before the step's code runs.</summary>
    /// <param name="lease">The execution's lease.</param>
    /// <param name="step">The step's row when an earlier attempt made it, else null.</param>
    /// <param name="name">The step's name.</param>
    /// <param name="sequence">Its position in the body.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="scheduledAt">Since when the attempt was due.</param>
    /// <param name="startedAt">When the attempt starts; null for the commit's time.</param>
    /// <param name="group">Its parallel group.</param>
    /// <param name="cancellationToken">Abandons the write while it waits for its commit.</param>
    public async Task<StepEntity> BeginAttemptAsync(
        RunLease lease, StepEntity? step, string name, int sequence, StepKind kind, DateTime scheduledAt, DateTime? startedAt, int? group,
        CancellationToken cancellationToken)
    {
        var isNew = step is null;
        step ??= new StepEntity { RunId = lease.RunId, Name = name, Sequence = sequence, Kind = kind, ParallelGroup = group };
        var number = step.AttemptCount + 1;
        step.AttemptCount = number;
        step.Status = StepStatus.Running;
        step.NextAttemptAt = null;
        await writer.Enqueue(lease, batch =>
        {
            var started = startedAt ?? batch.Now;
            if (isNew) step.StartedAt = started;
            batch.Commands.BeginAttempt(step, isNew, number, scheduledAt, started);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);
        writer.Publish(lease.RunId);
        return step;
    }

    /// <summary>
    /// Records a step's result: from here on, replays return it and the step never runs again. The write is
    /// queued, not waited for: the body may go on computing, but the next thing the execution records (the
    /// next step's start, a sleep, the run's end) is committed with it or after it, and no step's code runs
    /// before its start is durable. A failure handler's completion also releases the run for good.
    /// </summary>
    /// <returns>Once the write is over: whether the result is recorded (false: the step runs again when the run resumes).</returns>
    public Task<bool> CompleteStep(RunLease lease, StepEntity step, string? output, int? completionOrder)
    {
        var number = step.AttemptCount;
        var write = writer.Enqueue(lease, async batch =>
        {
            batch.Commands.CompleteAttempt(step.Id, output, batch.Now, completionOrder, number);

            // A finished failure handler leaves the failed run with nothing due, in the same commit.
            if (step.Kind == StepKind.FailureHandler) await SettleAsync(batch.Db, lease, CancellationToken.None);
        });
        step.Status = StepStatus.Completed;
        step.Output = output;
        step.CompletionOrder = completionOrder;

        // Observed here, so a result no one waits for never faults unobserved.
        return write.Done.ContinueWith(
            done =>
            {
                if (done.IsCompletedSuccessfully)
                {
                    writer.Publish(lease.RunId);
                    return true;
                }

                // A lost lease (the run was cancelled or taken over) stops the execution and says so itself.
                var error = done.Exception?.GetBaseException();
                if (error is not LeaseLostException) logger.LogCompletionNotRecorded(error, step.Name, lease.RunId);
                return false;
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Sets a tag of the run (its value replaced when the key has one), queued like a step's result: durable with
    /// the execution's next record. A run that has <see cref="Client.RunTag.MaxPerRun"/> tags keeps them and the new key
    /// is left out with a warning, rather than failing the execution's later writes.
    /// </summary>
    public void Tag(RunLease lease, Client.RunTag tag) =>
        writer.Enqueue(lease, async batch =>
        {
            var db = batch.Db;
            var updated = await db.RunTags.Where(t => t.RunId == lease.RunId && t.Key == tag.Key)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, tag.Value), CancellationToken.None);
            if (updated > 0) return;
            if (await db.RunTags.CountAsync(t => t.RunId == lease.RunId, CancellationToken.None) >= Client.RunTag.MaxPerRun)
            {
                logger.LogTagLeftOut(tag.Key, lease.RunId, Client.RunTag.MaxPerRun);
                return;
            }

            var createdAt = await db.Runs.Where(r => r.Id == lease.RunId).Select(r => r.CreatedAt).FirstAsync(CancellationToken.None);
            db.RunTags.Add(new RunTagEntity { RunId = lease.RunId, Key = tag.Key, Value = tag.Value, CreatedAt = createdAt });
            await db.SaveChangesAsync(CancellationToken.None);
        }).Done.ContinueWith(
            done =>
            {
                if (done.IsCompletedSuccessfully) writer.Publish(lease.RunId);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Records a failed attempt whose step will be tried again at <paramref name="nextAttemptAt"/>; the run is suspended once nothing else can go on.</summary>
    public async Task ScheduleRetryAsync(
        RunLease lease, StepEntity step, Exception error, DateTime nextAttemptAt, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, async (db, now) =>
        {
            await AttemptEnds.FailAsync(db, step, error, now, cancellationToken);
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.NextAttemptAt, nextAttemptAt).SetProperty(x => x.Error, error.Message), cancellationToken);
        }, cancellationToken);
        writer.Publish(lease.RunId);
    }

    /// <summary>
    /// Records a step that failed for good. A body step also fails the run; with a failure handler the
    /// run stays due (and leased) so the handler runs next. A failed handler just leaves nothing due.
    /// </summary>
    /// <returns>The parent run this commit woke (a child failed for good), which the caller gives a job; else null.</returns>
    public async Task<string?> FailStepAsync(RunLease lease, StepEntity step, Exception error, bool handlerFollows, CancellationToken cancellationToken)
    {
        var parent = await writer.WriteAsync(lease, async (db, now) =>
        {
            await AttemptEnds.FailAsync(db, step, error, now, cancellationToken);
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Failed).SetProperty(x => x.CompletedAt, now)
                    .SetProperty(x => x.Error, error.Message).SetProperty(x => x.NextAttemptAt, (DateTime?)null),
                cancellationToken);
            if (step.Kind != StepKind.FailureHandler)
            {
                return await FailRunAsync(db, lease, $"Step '{step.Name}' failed: {error.Message}", error.GetType().FullName, handlerFollows, now, cancellationToken);
            }

            await SettleAsync(db, lease, cancellationToken);
            return null;
        }, cancellationToken);

        // With no failure handler to follow (or the handler itself failed), that commit gave the lease up.
        if (!handlerFollows || step.Kind == StepKind.FailureHandler) lease.MarkReleased();
        writer.Publish(lease.RunId);
        writer.Publish(parent);
        step.Status = StepStatus.Failed;
        return parent;
    }

    /// <summary>Fails the run for a reason outside any step (the body threw, a replay was not deterministic).</summary>
    /// <returns>The parent run this commit woke, which the caller gives a job; else null.</returns>
    public async Task<string?> FailRunAsync(RunLease lease, string error, string? errorType, bool handlerFollows, CancellationToken cancellationToken)
    {
        var parent = await writer.WriteAsync(lease, (db, now) => FailRunAsync(db, lease, error, errorType, handlerFollows, now, cancellationToken), cancellationToken);
        if (!handlerFollows) lease.MarkReleased();
        writer.Publish(lease.RunId);
        writer.Publish(parent);
        return parent;
    }

    /// <summary>Records a sleep step, completed at once when its time has passed (then with its completion order).</summary>
    public async Task<StepEntity> BeginSleepAsync(
        RunLease lease, string name, int sequence, DateTime wakeAt, int? group, int? completionOrder, CancellationToken cancellationToken)
    {
        var step = await writer.WriteAsync(lease, async (db, now) =>
        {
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
            return step;
        }, cancellationToken);
        writer.Publish(lease.RunId);
        return step;
    }

    public async Task CompleteSleepAsync(RunLease lease, StepEntity step, int completionOrder, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, async (db, now) =>
        {
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Completed).SetProperty(x => x.CompletedAt, now).SetProperty(x => x.CompletionOrder, completionOrder),
                cancellationToken);
        }, cancellationToken);
        writer.Publish(lease.RunId);
        step.Status = StepStatus.Completed;
    }

    /// <summary>Marks an attempt the body no longer needs (it returned, or the run halted) as cancelled, with its step.</summary>
    public async Task CancelAttemptAsync(RunLease lease, StepEntity step, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, async (db, now) =>
        {
            var number = step.AttemptCount;
            await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number && a.Status == AttemptStatus.Running).ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptStatus.Cancelled).SetProperty(a => a.EndedAt, now), cancellationToken);
            await db.Steps.Where(s => s.Id == step.Id && s.Status == StepStatus.Running).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now), cancellationToken);
        }, cancellationToken);
        writer.Publish(lease.RunId);
    }

    /// <summary>
    /// Ends an execution that cannot go on: the run takes <paramref name="status"/> and is due again at
    /// <paramref name="dueAt"/> (null: only an outside event wakes it), and the lease is released, in one commit.
    /// </summary>
    public async Task<DateTime?> SuspendAsync(RunLease lease, RunStatus status, DateTime? dueAt, CancellationToken cancellationToken)
    {
        var due = await writer.WriteAsync(lease, async (db, now) =>
        {
            // One statement decides on the wake flag as it is when it writes: a wake (an event, a response, a child's
            // end) that arrived while this execution ran makes the run go on at once, and one committed by another
            // transaction meanwhile is never overwritten.
            var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, r => r.WakePending ? RunStatus.Running : status)
                    .SetProperty(r => r.DueAt, r => r.WakePending ? now : dueAt)
                    .SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.WakePending, false)
                    .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(r => r.Version, r => r.Version + 1),
                cancellationToken);
            if (rows == 0) throw new LeaseLostException(lease.RunId);
            return await db.Runs.Where(r => r.Id == lease.RunId).Select(r => r.DueAt).FirstAsync(cancellationToken);
        }, cancellationToken);
        lease.MarkReleased();
        writer.Publish(lease.RunId);
        return due;
    }

    /// <summary>Completes the run; steps it no longer waited for (the losers of a WhenAny) are cancelled in the same commit.</summary>
    /// <returns>The parent run this commit woke (a child completed), which the caller gives a job; else null.</returns>
    public async Task<string?> CompleteRunAsync(RunLease lease, string? output, bool isChild, CancellationToken cancellationToken)
    {
        var parent = await writer.WriteAsync(lease, async batch =>
        {
            if (!batch.Commands.CompleteRun(lease.RunId, lease.Owner, output, batch.Now)) throw new LeaseLostException(lease.RunId);
            batch.Commands.CancelOpenSteps(lease.RunId, batch.Now);
            return isChild ? await RunWakes.WakeParentAsync(batch.Db, lease.RunId, RunStatus.Completed, output, null, batch.Now, cancellationToken) : null;
        }, cancellationToken);
        lease.MarkReleased();
        writer.Publish(lease.RunId);
        writer.Publish(parent);
        return parent;
    }

    /// <summary>Leaves a failed run with nothing due: its failure handler has finished.</summary>
    public async Task SettleAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, (db, _) => SettleAsync(db, lease, cancellationToken), cancellationToken);
        lease.MarkReleased();
        writer.Publish(lease.RunId);
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
                .SetProperty(r => r.LeaseExpiresAt, r => handlerFollows ? r.LeaseExpiresAt : null)
                .SetProperty(r => r.Version, r => handlerFollows ? r.Version : r.Version + 1),
            cancellationToken);

        // Waiting steps (a call, a child, an event) will get nothing now, and a step waiting out a retry's back-off (the
        // execution has stopped every attempt) gets no next attempt; a parent waiting for this run learns it failed.
        await db.Steps.Where(s => s.RunId == lease.RunId && s.Kind != StepKind.FailureHandler
                && (s.Status == StepStatus.Waiting || s.Status == StepStatus.Sleeping || s.Status == StepStatus.Running || s.Status == StepStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now), cancellationToken);
        return await RunWakes.WakeParentAsync(db, lease.RunId, RunStatus.Failed, null, error, now, cancellationToken);
    }

    private static async Task SettleAsync(FlowDbContext db, RunLease lease, CancellationToken cancellationToken)
    {
        var rows = await db.Runs.Where(r => r.Id == lease.RunId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.DueAt, (DateTime?)null).SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(r => r.Version, r => r.Version + 1),
            cancellationToken);
        if (rows == 0) throw new LeaseLostException(lease.RunId);
    }
}
