using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>
/// The transitions made on behalf of callers and operators rather than executions: create, cancel,
/// resume (or retry one step), delete. Each writes its audit record in the same commit.
/// </summary>
internal sealed class OperatorTransitions(RunWriter writer, Telemetry.FlowMetrics metrics)
{
    /// <summary>
    /// Records new runs in one commit, all or none, each with its audit record; a run that exists already is
    /// returned instead: the same run id again, or, for a one-run-per-key workflow, the unfinished run with the same key.
    /// </summary>
    /// <exception cref="RunConflictException">A run id belongs to a run of another workflow; nothing is recorded.</exception>
    public async Task<IReadOnlyList<TriggerResult>> CreateRunsAsync(
        IReadOnlyList<NewRun> runs, AuditRecord? audit, DateTime dueAt, CancellationToken cancellationToken)
    {
        var results = await writer.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            var results = new TriggerResult[runs.Count];
            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];

                // Inserted without looking first: a run id or singleton key that is taken leaves the insert undone.
                if (batch.Commands.InsertRun(Pending(run, now, dueAt)))
                {
                    results[i] = new TriggerResult(run.RunId, Created: true);
                    if (audit is not null) db.Audit.Add(AuditEntry(run.RunId, audit, now));
                    db.RunTags.AddRange(run.Tags.Select(t => new RunTagEntity { RunId = run.RunId, Key = t.Key, Value = t.Value, CreatedAt = now }));
                    continue;
                }

                try
                {
                    results[i] = await ExistingAsync(db, run, cancellationToken)
                        ?? throw new RunConflictException(run.RunId, $"Run '{run.RunId}' could not be recorded; try again.");
                }
                catch (RunConflictException conflict) when (runs.Count > 1)
                {
                    throw new RunConflictException(run.RunId, $"Item [{i}]: {conflict.Message} Nothing was started.");
                }
            }

            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(cancellationToken);
            return results;
        }, cancellationToken);
        for (var i = 0; i < results.Length; i++)
        {
            if (!results[i].Created) continue;
            writer.Publish(results[i].RunId);
            metrics.RunStarted(runs[i].Workflow);
        }

        return results;
    }

    /// <summary>
    /// Records a rerun of a finished run from one of its steps, in one commit with the original's row locked: the new
    /// run, a copy of every step the original completed before that one (results, order and parallel groups as they were,
    /// so a replay hands them back and runs on from that step), the original's tags, and an audit record on both runs.
    /// </summary>
    /// <exception cref="RunNotFoundException">No such run.</exception>
    /// <exception cref="StepNotFoundException">No such step in it.</exception>
    /// <exception cref="RunConflictException">The run is not finished, the step is its failure handler, or the workflow's one-run-per-key rule holds the new run back.</exception>
    public async Task CreateRerunAsync(NewRun run, string originId, string fromStep, AuditRecord audit, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            batch.Commands.LockRun(originId);
            var origin = await FindAsync(db, originId, cancellationToken);
            if (!origin.Status.IsFinal()) throw new RunConflictException(originId, $"Run '{originId}' is {origin.Status}: only a finished run can be rerun.");
            var from = await db.Steps.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == originId && s.Name == fromStep, cancellationToken)
                ?? throw new StepNotFoundException(originId, fromStep);
            if (from.Kind == StepKind.FailureHandler) throw new RunConflictException(originId, "A rerun starts from a step of the workflow's body, not from its failure handler.");

            var reused = await db.Steps.AsNoTracking()
                .Where(s => s.RunId == originId && s.Sequence < from.Sequence && s.Status == StepStatus.Completed && s.Kind != StepKind.FailureHandler)
                .ToListAsync(cancellationToken);

            if (!batch.Commands.InsertRun(Pending(run, now, now)))
            {
                throw new RunConflictException(originId, $"The rerun could not be recorded: run '{run.RunId}' exists, or the workflow's one-run-per-key rule has an unfinished run with the same key.");
            }

            // Marked started: taking its lease then reads the reused steps, as it does for a run that is resuming.
            if (reused.Count > 0) await db.Runs.Where(r => r.Id == run.RunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.StartedAt, now), cancellationToken);

            db.Steps.AddRange(reused.Select(s => new StepEntity
            {
                RunId = run.RunId,
                Name = s.Name,
                Sequence = s.Sequence,
                Kind = s.Kind,
                Status = StepStatus.Completed,
                Output = s.Output,
                StartedAt = now,
                CompletedAt = now,
                WakeAt = s.WakeAt,
                AttemptCount = s.AttemptCount,
                RetryBase = s.AttemptCount,
                CompletionOrder = s.CompletionOrder,
                Target = s.Target,
                Input = s.Input,
                Payload = s.Payload,
                ParallelGroup = s.ParallelGroup,
            }));
            db.RunTags.AddRange(run.Tags.Select(t => new RunTagEntity { RunId = run.RunId, Key = t.Key, Value = t.Value, CreatedAt = now }));
            db.Audit.Add(AuditEntry(originId, audit with { Target = fromStep, Detail = $"new run {run.RunId}" + (audit.Detail is { } d ? $", {d}" : "") }, now));
            db.Audit.Add(AuditEntry(run.RunId, audit with { Target = fromStep, Detail = $"rerun of {originId}, {reused.Count} step(s) reused" + (audit.Detail is { } e ? $", {e}" : "") }, now));
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        writer.Publish(originId);
        writer.Publish(run.RunId);
        metrics.RunStarted(run.Workflow);
    }

    private static RunEntity Pending(NewRun run, DateTime now, DateTime dueAt) => new()
    {
        Id = run.RunId,
        Workflow = run.Workflow,
        Status = RunStatus.Pending,
        Source = run.Source,
        SourceRef = run.SourceRef,
        ScheduledFor = run.ScheduledFor,
        ConcurrencyKey = run.ConcurrencyKey,
        SingletonKey = run.SingletonKey,
        Input = run.Input,
        TraceParent = run.TraceParent,
        CreatedAt = now,
        DueAt = dueAt < now ? now : dueAt,
    };

    /// <summary>
    /// Cancels a run that is not final, and its unfinished children. Clearing the lease owner fences out an
    /// execution in progress, so whatever it was about to record is refused.
    /// </summary>
    /// <returns>The parent run this commit woke (the run was a child), which the caller gives a job; else null.</returns>
    public async Task<string?> CancelAsync(string runId, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var (cancelled, parent) = await writer.WriteRunAsync(runId, async (db, now) =>
        {
            var run = await FindAsync(db, runId, cancellationToken);
            if (run.Status.IsFinal()) throw new RunConflictException(runId, $"Run '{runId}' is already {run.Status} and cannot be cancelled.");

            var cancelled = new List<(string Id, string Workflow)>();
            var parent = await CancelTreeAsync(db, (runId, run.Workflow), now, cancelled, cancellationToken);
            await AddAuditAsync(db, runId, audit, now, cancellationToken);
            return (cancelled, parent);
        }, cancellationToken);
        foreach (var (id, workflow) in cancelled)
        {
            writer.Publish(id);
            metrics.RunCancelled(workflow);
        }

        writer.Publish(parent);
        return parent;
    }

    /// <summary>Cancels the run and, depth first, its unfinished children; returns the parent to wake, if any.</summary>
    private static async Task<string?> CancelTreeAsync(
        FlowDbContext db, (string Id, string Workflow) run, DateTime now, List<(string Id, string Workflow)> cancelled, CancellationToken cancellationToken)
    {
        var runId = run.Id;
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.CompletedAt, now).SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.DueAt, (DateTime?)null).SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.SingletonKey, (string?)null)
                .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null).SetProperty(r => r.Held, false).SetProperty(r => r.Version, r => r.Version + 1),
            cancellationToken);
        var open = db.Steps.Where(s => s.RunId == runId
            && (s.Status == StepStatus.Running || s.Status == StepStatus.Sleeping || s.Status == StepStatus.Waiting || s.Status == StepStatus.Pending));
        await db.Attempts.Where(a => open.Select(s => s.Id).Contains(a.StepId) && a.Status == AttemptStatus.Running).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Cancelled).SetProperty(a => a.EndedAt, now), cancellationToken);
        await open.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now).SetProperty(x => x.NextAttemptAt, (DateTime?)null),
            cancellationToken);
        cancelled.Add(run);

        var children = await db.Runs.Where(r => r.Source == RunSource.Parent && r.SourceRef == runId
                && r.Status != RunStatus.Completed && r.Status != RunStatus.Failed && r.Status != RunStatus.Cancelled)
            .Select(r => new ValueTuple<string, string>(r.Id, r.Workflow)).ToListAsync(cancellationToken);
        foreach (var child in children) await CancelTreeAsync(db, child, now, cancelled, cancellationToken);
        return await RunWakes.WakeParentAsync(db, runId, RunStatus.Cancelled, null, "The run was cancelled.", now, cancellationToken);
    }

    /// <summary>
    /// Sets a failed run going again where it failed: its failed steps (or only <paramref name="step"/>)
    /// become <c>Pending</c> with a fresh retry budget, the run <c>Running</c> and due now. Completed steps
    /// stay recorded, so the replay returns their results without running them.
    /// </summary>
    /// <exception cref="RunNotFoundException">No such run.</exception>
    /// <exception cref="StepNotFoundException">No such step.</exception>
    /// <exception cref="RunConflictException">The run is not failed, the step is not failed, or the failure handler is running.</exception>
    public async Task ResumeAsync(string runId, string? step, AuditRecord? audit, CancellationToken cancellationToken)
    {
        await writer.WriteRunAsync(runId, async (db, now) =>
        {
            var run = await FindAsync(db, runId, cancellationToken);
            var what = step is null ? "resumed" : "have a step retried";
            if (run.Status != RunStatus.Failed) throw new RunConflictException(runId, $"Run '{runId}' is {run.Status}: only a failed run can be {what}.");
            if (run.LeaseOwner is not null && run.LeaseExpiresAt > now)
            {
                throw new RunConflictException(runId, $"The failure handler of run '{runId}' is running; try again once it has finished.");
            }

            if (step is not null)
            {
                var target = await db.Steps.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == runId && s.Name == step, cancellationToken)
                    ?? throw new StepNotFoundException(runId, step);
                if (target.Kind == StepKind.FailureHandler)
                {
                    throw new RunConflictException(runId, "The failure handler is not retried on its own: retry the failed step or resume the run.");
                }

                if (target.Status != StepStatus.Failed)
                {
                    throw new RunConflictException(runId, $"Step '{step}' of run '{runId}' is {target.Status}: only a failed step can be retried.");
                }
            }

            // What the run waited for (an event, a call's response, a child's end) was let go when it failed: nothing would
            // wake it again. A sleep is taken up again where it was.
            var wait = await db.Steps.AsNoTracking()
                .Where(s => s.RunId == runId && s.Status == StepStatus.Cancelled && (s.Kind == StepKind.WaitForEvent || s.Kind == StepKind.Call || s.Kind == StepKind.Invoke))
                .Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
            if (wait is not null)
            {
                throw new RunConflictException(runId, $"Run '{runId}' failed while step '{wait}' waited, and what it waited for was let go: restart the run instead.");
            }

            // Steps the failure interrupted (running, or waiting out a retry's back-off) run again, with the failed ones.
            await db.Steps.Where(s => s.RunId == runId
                    && ((s.Status == StepStatus.Failed && s.Kind != StepKind.FailureHandler && (step == null || s.Name == step))
                        || (s.Status == StepStatus.Cancelled && s.Kind == StepKind.Run)))
                .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Pending).SetProperty(x => x.CompletedAt, (DateTime?)null)
                    .SetProperty(x => x.NextAttemptAt, (DateTime?)null).SetProperty(x => x.RetryBase, x => x.AttemptCount),
                cancellationToken);
            await db.Steps.Where(s => s.RunId == runId && s.Status == StepStatus.Cancelled && s.Kind == StepKind.Sleep)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StepStatus.Sleeping).SetProperty(x => x.CompletedAt, (DateTime?)null), cancellationToken);
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.Error, (string?)null).SetProperty(r => r.ErrorType, (string?)null)
                    .SetProperty(r => r.CompletedAt, (DateTime?)null).SetProperty(r => r.DueAt, now).SetProperty(r => r.UpdatedAt, now)
                    .SetProperty(r => r.ResumedAt, now)
                    .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(r => r.Version, r => r.Version + 1),
                cancellationToken);
            await AddAuditAsync(db, runId, audit, now, cancellationToken);
        }, cancellationToken);
        writer.Publish(runId);
    }

    /// <summary>Deletes a final run with its steps and attempts; the audit record of the deletion stays.</summary>
    /// <exception cref="RunNotFoundException">No such run.</exception>
    /// <exception cref="RunConflictException">The run is not final, or its failure handler is running.</exception>
    public async Task DeleteAsync(string runId, AuditRecord? audit, CancellationToken cancellationToken)
    {
        await writer.WriteRunAsync(runId, async (db, now) =>
        {
            var run = await FindAsync(db, runId, cancellationToken);
            if (!run.Status.IsFinal()) throw new RunConflictException(runId, $"Run '{runId}' is {run.Status}: cancel it before deleting it.");
            if (run.DueAt is not null) throw new RunConflictException(runId, $"The failure handler of run '{runId}' has not finished; try again once it has.");

            await DeleteRowsAsync(db, [runId], cancellationToken);
            await AddAuditAsync(db, runId, audit, now, cancellationToken);
        }, cancellationToken);
        writer.Publish(runId);
    }

    /// <summary>
    /// Deletes the runs with their steps, attempts, tags and the events waiting for them, in the caller's transaction; their
    /// audit entries stay (an operator's delete is audited on the run it deleted; retention deletes those itself).
    /// </summary>
    internal static async Task DeleteRowsAsync(FlowDbContext db, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        var steps = db.Steps.Where(s => runIds.Contains(s.RunId));
        await db.Attempts.Where(a => steps.Select(s => s.Id).Contains(a.StepId)).ExecuteDeleteAsync(cancellationToken);
        await steps.ExecuteDeleteAsync(cancellationToken);
        await db.PendingEvents.Where(e => runIds.Contains(e.RunId)).ExecuteDeleteAsync(cancellationToken);
        await db.RunTags.Where(t => runIds.Contains(t.RunId)).ExecuteDeleteAsync(cancellationToken);
        await db.Runs.Where(r => runIds.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Records an operator action that changed no run row of its own (a restart records it on the original run).</summary>
    public async Task AuditAsync(string? runId, AuditRecord audit, CancellationToken cancellationToken)
    {
        await writer.WriteAsync((db, now) => AddAuditAsync(db, runId, audit, now, cancellationToken), cancellationToken);
        if (runId is not null) writer.Publish(runId);
    }

    private static async Task<RunEntity> FindAsync(FlowDbContext db, string runId, CancellationToken cancellationToken) =>
        await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken) ?? throw new RunNotFoundException(runId);

    private static async Task AddAuditAsync(FlowDbContext db, string? runId, AuditRecord? audit, DateTime now, CancellationToken cancellationToken)
    {
        if (audit is null) return;
        db.Audit.Add(AuditEntry(runId, audit, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static AuditEntity AuditEntry(string? runId, AuditRecord audit, DateTime now) => new()
    {
        At = now,
        Actor = audit.Actor,
        Action = audit.Action,
        RunId = runId,
        Target = audit.Target,
        Detail = audit.Detail,
    };

    private static async Task<TriggerResult?> ExistingAsync(FlowDbContext db, NewRun run, CancellationToken cancellationToken)
    {
        var workflow = await db.Runs.AsNoTracking().Where(r => r.Id == run.RunId).Select(r => r.Workflow).FirstOrDefaultAsync(cancellationToken);
        if (workflow is not null)
        {
            return workflow == run.Workflow
                ? new TriggerResult(run.RunId, Created: false)
                : throw new RunConflictException(run.RunId, $"Run id '{run.RunId}' is already used by a run of workflow '{workflow}'.");
        }

        if (run.SingletonKey is null) return null;
        var active = await db.Runs.AsNoTracking().Where(r => r.SingletonKey == run.SingletonKey).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return active is null ? null : new TriggerResult(active, Created: false);
    }
}
