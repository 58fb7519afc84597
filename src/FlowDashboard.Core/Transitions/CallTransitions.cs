using System.Text.Json;
using FlowDashboard.Engine;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>
/// The records of an HTTP call made by its own job, outside any execution: each attempt is taken with a
/// compare-and-swap on the step's attempt count, so a job delivered twice makes the request once per attempt.
/// </summary>
internal sealed class CallTransitions(IDbContextFactory<FlowDbContext> contexts, RunWriter writer)
{
    private const int BatchSize = 5000;

    /// <summary>The call's step, if it still waits for a response; its next attempt may not be due yet.</summary>
    public async Task<StepEntity?> FindWaitingCallAsync(long stepId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Steps.AsNoTracking().FirstOrDefaultAsync(
            s => s.Id == stepId && s.Kind == StepKind.Call && s.Status == StepStatus.Waiting && s.Payload == null,
            cancellationToken);
    }

    /// <summary>The span that started the call's run (see <see cref="RunEntity.TraceParent"/>): the call's span is in the run's trace.</summary>
    public async Task<string?> TraceParentOfAsync(string runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.TraceParent).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the call's next attempt; false when another job took it first, or makes one now (an attempt younger than
    /// <paramref name="inFlightLimit"/> is still running: its job, on this node or another, waits for the response).
    /// </summary>
    public async Task<bool> BeginCallAttemptAsync(StepEntity step, DateTime scheduledAt, TimeSpan inFlightLimit, CancellationToken cancellationToken)
    {
        var seen = step.AttemptCount;
        var taken = await writer.WriteAsync(async (db, now) =>
        {
            var running = db.Attempts.Where(a => a.StepId == step.Id && a.Status == AttemptStatus.Running);
            var gone = now - inFlightLimit;
            if (await running.AnyAsync(a => a.StartedAt > gone, cancellationToken)) return false;

            // Whatever attempt is still marked running is past its limit: the job making it is gone.
            await running.ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptStatus.Interrupted).SetProperty(a => a.Error, AttemptEnds.InterruptedMessage), cancellationToken);
            var taken = await db.Steps.Where(s => s.Id == step.Id && s.AttemptCount == seen && s.Status == StepStatus.Waiting && s.Payload == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.AttemptCount, seen + 1).SetProperty(x => x.NextAttemptAt, (DateTime?)null), cancellationToken);
            if (taken == 0) return false;

            db.Attempts.Add(new AttemptEntity { StepId = step.Id, Number = seen + 1, Status = AttemptStatus.Running, ScheduledAt = scheduledAt, StartedAt = now });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (!taken) return false;
        step.AttemptCount = seen + 1;
        writer.Publish(step.RunId);
        return true;
    }

    /// <summary>Records the response (or the call's final failure) for the workflow and wakes its run; returns false when the step moved on.</summary>
    public async Task<bool> RecordCallOutcomeAsync(StepEntity step, string payload, string? error, string? errorType, CancellationToken cancellationToken)
    {
        var recorded = await writer.WriteAsync(async (db, now) =>
        {
            var number = step.AttemptCount;
            var rows = await db.Steps.Where(s => s.Id == step.Id && s.AttemptCount == number && s.Status == StepStatus.Waiting && s.Payload == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Payload, payload).SetProperty(x => x.Error, error), cancellationToken);
            if (rows == 0) return false;
            await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number).ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, error is null ? AttemptStatus.Completed : AttemptStatus.Failed).SetProperty(a => a.EndedAt, now)
                    .SetProperty(a => a.Error, error).SetProperty(a => a.ErrorType, errorType),
                cancellationToken);
            await RunWakes.WakeAsync(db, step.RunId, now, cancellationToken);
            return true;
        }, cancellationToken);
        if (recorded) writer.Publish(step.RunId);
        return recorded;
    }

    /// <summary>Records a failed attempt whose call is tried again at <paramref name="nextAttemptAt"/> by a new job.</summary>
    public async Task ScheduleCallRetryAsync(StepEntity step, Exception error, DateTime nextAttemptAt, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(async (db, now) =>
        {
            await AttemptEnds.FailAsync(db, step, error, now, cancellationToken);
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.NextAttemptAt, nextAttemptAt).SetProperty(x => x.Error, error.Message), cancellationToken);
        }, cancellationToken);
        writer.Publish(step.RunId);
    }

    /// <summary>
    /// The workflow refused a recorded response (its FailWhen said so): the attempt becomes failed and, with
    /// <paramref name="nextAttemptAt"/>, the call is made again then; without, the step fails for good.
    /// </summary>
    public async Task RejectCallResponseAsync(RunLease lease, StepEntity step, string reason, DateTime nextAttemptAt, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, async (db, now) =>
        {
            var number = step.AttemptCount;
            await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number).ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptStatus.Failed).SetProperty(a => a.Error, reason), cancellationToken);
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Payload, (string?)null).SetProperty(x => x.NextAttemptAt, nextAttemptAt).SetProperty(x => x.Error, reason),
                cancellationToken);
        }, cancellationToken);
        writer.Publish(lease.RunId);
    }

    /// <summary>
    /// The calls that wait for a job: every one at a single-process store's start-up; afterwards those whose job was
    /// lost at least <paramref name="overdueBy"/> ago: a due retry, a call that never had an attempt, or an attempt
    /// still marked running past its in-flight limit (the node making it is gone). A call in flight is left alone.
    /// </summary>
    public async Task<IReadOnlyList<(long StepId, DateTime? DueAt)>> CallsWithoutJobAsync(TimeSpan? overdueBy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var waiting = db.Steps.Where(s => s.Kind == StepKind.Call && s.Status == StepStatus.Waiting && s.Payload == null);
        if (overdueBy is not { } age)
        {
            var all = await waiting.OrderBy(s => s.Id).Select(s => new { s.Id, s.NextAttemptAt }).Take(BatchSize).ToListAsync(cancellationToken);
            return all.Select(r => (r.Id, r.NextAttemptAt)).ToList();
        }

        var now = writer.Now;
        var cutoff = now - age;
        var lost = await waiting
            .Where(s => (s.NextAttemptAt != null && s.NextAttemptAt <= cutoff) || (s.AttemptCount == 0 && s.NextAttemptAt == null && s.StartedAt <= cutoff))
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.NextAttemptAt }).Take(BatchSize).ToListAsync(cancellationToken);
        var running = await waiting
            .Where(s => s.NextAttemptAt == null)
            .Select(s => new
            {
                s.Id,
                s.Input,
                Started = db.Attempts.Where(a => a.StepId == s.Id && a.Status == AttemptStatus.Running && a.StartedAt <= cutoff)
                    .Select(a => (DateTime?)a.StartedAt).FirstOrDefault(),
            })
            .Where(s => s.Started != null)
            .OrderBy(s => s.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var stale = running
            .Where(s => s.Input is not null && s.Started + JsonSerializer.Deserialize<CallRequest>(s.Input, FlowJson.Data)!.InFlightLimit() <= now)
            .Select(s => (s.Id, (DateTime?)null));
        return [.. lost.Select(r => (r.Id, r.NextAttemptAt)), .. stale];
    }

    /// <summary>
    /// Ends every call attempt still marked running. Only for a single-process store at start-up, where the file
    /// lock proves the process that made them is gone.
    /// </summary>
    public async Task<int> InterruptAllAttemptsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Attempts
            .Where(a => a.Status == AttemptStatus.Running && db.Steps.Any(s => s.Id == a.StepId && s.Kind == StepKind.Call))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AttemptStatus.Interrupted).SetProperty(a => a.Error, AttemptEnds.InterruptedMessage), cancellationToken);
    }
}
