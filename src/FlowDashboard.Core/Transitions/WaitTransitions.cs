using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Transitions;

/// <summary>
/// The steps that wait for something outside the execution: an event, an HTTP call made by its own job, a
/// child run. What arrives is written to the step (<see cref="StepEntity.Payload"/>) and wakes the run; the
/// next execution turns it into the step's result, in its place among the run's completions.
/// </summary>
internal sealed class WaitTransitions(IDbContextFactory<FlowDbContext> contexts, RunWriter writer, Telemetry.FlowMetrics metrics, ILogger<WaitTransitions> logger)
{
    private const string TimedOut = """{"timedOut":true,"payload":null}""";

    /// <summary>
    /// Records a wait, naming the payload type it expects. An event notified for this run beforehand is consumed at
    /// once (then with its completion order) if its payload fits that type; one that does not is dropped, the step
    /// says so in its error, and the run waits on.
    /// </summary>
    public async Task<StepEntity> BeginWaitAsync(
        RunLease lease, string name, int sequence, string eventId, Type payloadType, DateTime deadline, int? group, int completionOrder,
        CancellationToken cancellationToken)
    {
        var step = await writer.WriteAsync(lease, async (db, now) =>
        {
            var created = Waiting(lease, name, sequence, StepKind.WaitForEvent, eventId, WaitPayload.InputFor(payloadType), group, now);
            created.WakeAt = deadline;
            var early = await db.PendingEvents.Where(e => e.RunId == lease.RunId && e.EventId == eventId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
            foreach (var kept in early)
            {
                db.PendingEvents.Remove(kept);
                using var payload = JsonDocument.Parse(kept.Payload ?? "null");
                var errors = WaitPayload.Bind(created.Input, payload.RootElement, out var stored);
                if (errors.Count > 0)
                {
                    created.Error = $"An event '{eventId}' kept for this run was dropped: its payload does not fit {payloadType.Name} ({ErrorText.Join(errors)}).";
                    logger.LogKeptEventDropped(eventId, lease.RunId, name, created.Error);
                    continue;
                }

                created.Status = StepStatus.Completed;
                created.Output = Received(stored);
                created.CompletedAt = now;
                created.CompletionOrder = completionOrder;
                created.Error = null;
                break;
            }

            db.Steps.Add(created);
            await db.SaveChangesAsync(cancellationToken);
            return created;
        }, cancellationToken);
        writer.Publish(lease.RunId);
        return step;
    }

    /// <summary>Completes a wait with the event that arrived, or as timed out when none did; returns the step's result.</summary>
    public async Task<string> CompleteWaitAsync(RunLease lease, StepEntity step, int completionOrder, CancellationToken cancellationToken)
    {
        var output = await writer.WriteAsync(lease, async (db, now) =>
        {
            // Decided inside the write transaction: an event that arrives at the deadline is either in or out, never lost.
            var payload = await db.Steps.Where(s => s.Id == step.Id).Select(s => s.Payload).FirstAsync(cancellationToken);
            var output = payload is null ? TimedOut : Received(payload);
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Completed).SetProperty(x => x.Output, output)
                    .SetProperty(x => x.CompletedAt, now).SetProperty(x => x.CompletionOrder, completionOrder),
                cancellationToken);
            return output;
        }, cancellationToken);
        writer.Publish(lease.RunId);
        return output;
    }

    /// <summary>Turns what arrived for a call or a child (its payload) into the step's result.</summary>
    public async Task CompleteFromPayloadAsync(RunLease lease, StepEntity step, string output, int completionOrder, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(lease, async (db, now) =>
        {
            await db.Steps.Where(s => s.Id == step.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, StepStatus.Completed).SetProperty(x => x.Output, output)
                    .SetProperty(x => x.CompletedAt, now).SetProperty(x => x.CompletionOrder, completionOrder).SetProperty(x => x.Error, (string?)null),
                cancellationToken);
        }, cancellationToken);
        writer.Publish(lease.RunId);
    }

    /// <summary>Records a step that waits for an outside job (a call) or run (a child); the caller starts it after this commit.</summary>
    public async Task<StepEntity> BeginExternalAsync(
        RunLease lease, string name, int sequence, StepKind kind, string target, string? input, int? group, CancellationToken cancellationToken)
    {
        var step = await writer.WriteAsync(lease, async (db, now) =>
        {
            var created = Waiting(lease, name, sequence, kind, target, input, group, now);
            db.Steps.Add(created);
            await db.SaveChangesAsync(cancellationToken);
            return created;
        }, cancellationToken);
        writer.Publish(lease.RunId);
        return step;
    }

    /// <summary>Records an invoke step and its child run in one commit; the caller gives the child a job after it.</summary>
    public async Task<StepEntity> BeginInvokeAsync(
        RunLease lease, string name, int sequence, int? group, string childRunId, string workflow, string input, string? concurrencyKey,
        CancellationToken cancellationToken)
    {
        var traceParent = Telemetry.FlowTelemetry.StartRun(workflow, childRunId, RunSource.Parent.Name);
        var step = await writer.WriteAsync(lease, async (db, now) =>
        {
            var created = Waiting(lease, name, sequence, StepKind.Invoke, childRunId, input, group, now);
            db.Steps.Add(created);
            db.Runs.Add(new RunEntity
            {
                Id = childRunId,
                Workflow = workflow,
                Status = RunStatus.Pending,
                Source = RunSource.Parent,
                SourceRef = lease.RunId,
                ConcurrencyKey = concurrencyKey,
                Input = input,
                TraceParent = traceParent,
                CreatedAt = now,
                UpdatedAt = now,
                DueAt = now,
            });

            // A child carries its parent's tags (a customer's runs stay findable by the customer's tag).
            var tags = await db.RunTags.AsNoTracking().Where(t => t.RunId == lease.RunId).ToListAsync(cancellationToken);
            db.RunTags.AddRange(tags.Select(t => new RunTagEntity { RunId = childRunId, Key = t.Key, Value = t.Value, CreatedAt = now }));
            await db.SaveChangesAsync(cancellationToken);
            return created;
        }, cancellationToken);
        writer.Publish(lease.RunId);
        writer.Publish(childRunId);
        metrics.RunStarted(workflow);
        return step;
    }

    /// <summary>A step as it is now, to read what arrived for it.</summary>
    public async Task<StepEntity?> GetStepAsync(long stepId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Steps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stepId, cancellationToken);
    }

    /// <summary>Which of these waiting steps something has arrived for.</summary>
    public async Task<IReadOnlyList<long>> ArrivedAsync(IReadOnlyCollection<long> stepIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Steps.Where(s => stepIds.Contains(s.Id) && s.Payload != null).Select(s => s.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Hands an event to every step waiting for it whose payload type it fits (or, with <paramref name="runId"/>, to
    /// that run's wait, or keeps it for that run's next wait). Returns the runs woken, which the caller gives jobs
    /// after this commit, and the waits it did not fit.
    /// </summary>
    /// <exception cref="InvalidEventPayloadException">The named run waits for the event and the payload does not fit; nothing is written.</exception>
    public async Task<NotifyResult> NotifyAsync(string eventId, JsonElement payload, string? runId, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);

            // A named run is locked first: its wait, begun by an execution meanwhile, either is there to take the event
            // or comes after this write and finds the event kept for it.
            if (runId is not null) batch.Commands.LockRun(runId);
            var waiting = db.Steps.Where(s => s.Kind == StepKind.WaitForEvent && s.Target == eventId && s.Status == StepStatus.Waiting && s.Payload == null);
            if (runId is not null) waiting = waiting.Where(s => s.RunId == runId);
            var steps = await waiting.Select(s => new { s.Id, s.RunId, s.Name, s.Input }).ToListAsync(cancellationToken);

            var refused = new List<NotifyRefusal>();
            var delivered = new List<(long Step, string Run, string Payload)>();
            foreach (var step in steps)
            {
                var errors = WaitPayload.Bind(step.Input, payload, out var stored);
                if (errors.Count == 0) delivered.Add((step.Id, step.RunId, stored));
                else refused.Add(new NotifyRefusal(step.RunId, step.Name, errors));
            }

            if (runId is not null && refused.Count > 0 && delivered.Count == 0)
            {
                throw new InvalidEventPayloadException(eventId, runId, refused[0].Step, refused[0].Errors);
            }

            foreach (var group in delivered.GroupBy(d => d.Payload, StringComparer.Ordinal))
            {
                var ids = group.Select(d => d.Step).ToList();
                await db.Steps.Where(s => ids.Contains(s.Id) && s.Payload == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.Payload, group.Key), cancellationToken);
            }

            var woken = delivered.Select(d => d.Run).Distinct(StringComparer.Ordinal).ToList();
            foreach (var run in woken) await RunWakes.WakeAsync(db, run, now, cancellationToken);

            if (runId is not null && steps.Count == 0)
            {
                var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).FirstOrDefaultAsync(cancellationToken)
                    ?? throw new RunNotFoundException(runId);
                if (status.IsFinal()) throw new RunConflictException(runId, $"Run '{runId}' is already {status} and will wait for no event.");

                // Its wait is not recorded yet, so neither is the type it expects: the payload is checked when the wait takes it.
                db.PendingEvents.Add(new PendingEventEntity { RunId = runId, EventId = eventId, Payload = payload.GetRawText(), CreatedAt = now });
                await db.SaveChangesAsync(cancellationToken);
                return new NotifyResult(woken, Kept: true, refused);
            }

            return new NotifyResult(woken, Kept: false, refused);
        }, cancellationToken);
        foreach (var run in result.Woken) writer.Publish(run);
        return result;
    }

    /// <summary>A step that waits for <paramref name="target"/> (an event, a call, a child run) from <paramref name="now"/> on.</summary>
    private static StepEntity Waiting(RunLease lease, string name, int sequence, StepKind kind, string target, string? input, int? group, DateTime now) => new()
    {
        RunId = lease.RunId,
        Name = name,
        Sequence = sequence,
        Kind = kind,
        Status = StepStatus.Waiting,
        StartedAt = now,
        Target = target,
        Input = input,
        ParallelGroup = group,
    };

    private static string Received(string? payload) => $$"""{"timedOut":false,"payload":{{payload ?? "null"}}}""";
}
