using System.Text.Json;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Client;

/// <summary>The <see cref="IWorkflowClient"/>: records first, then hands the run to Hangfire.</summary>
internal sealed class WorkflowClient(
    WorkflowRegistry registry,
    OperatorTransitions operators,
    WaitTransitions waits,
    JobDispatcher jobs,
    IDbContextFactory<FlowDbContext> contexts,
    IStoreProvider storeProvider,
    TimeProvider time) : IWorkflowClient
{
    public Task<TriggerResult> TriggerAsync<TInput>(string workflow, TInput input, TriggerOptions? options = null, CancellationToken cancellationToken = default) =>
        TriggerAsync(workflow, JsonSerializer.SerializeToElement(input, FlowJson.Data), options, cancellationToken);

    public async Task<TriggerResult> TriggerAsync(string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TriggerOptions();
        var definition = registry.Get(workflow);
        var runId = options.RunId ?? NewRunId();
        if (RunIdRule.Problem(runId) is { } problem) throw new ArgumentException(problem, nameof(options));

        var run = NewRun(definition, runId, definition.BindInput(input), options, RunTag.Checked(options.Tags));
        return (await CreateAsync([run], options, cancellationToken))[0];
    }

    public async Task<IReadOnlyList<TriggerResult>> TriggerBatchAsync(
        string workflow, IReadOnlyList<BatchItem> items, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new TriggerOptions();
        if (options.RunId is not null) throw new ArgumentException("A batch takes each run's id from its item, not from the options.", nameof(options));
        var definition = registry.Get(workflow);
        var tags = RunTag.Checked(options.Tags);

        // Every item is checked before any run is recorded: one that is not valid starts none.
        var errors = new Dictionary<string, string[]>();
        var firstWithId = new Dictionary<string, int>(StringComparer.Ordinal);
        var runs = new List<NewRun>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var runId = items[i].RunId;
            if (runId is not null)
            {
                if (RunIdRule.Problem(runId) is { } problem) errors[$"[{i}].runId"] = [problem];
                else if (!firstWithId.TryAdd(runId, i)) errors[$"[{i}].runId"] = [$"Run id '{runId}' is also the id of item [{firstWithId[runId]}]."];
            }

            var inputErrors = InputBinder.TryBind(definition.InputType, items[i].Input, out var bound);
            foreach (var (member, messages) in inputErrors)
            {
                errors[$"[{i}].input{(member.Length == 0 ? "" : "." + member)}"] = messages;
            }

            if (errors.Count == 0) runs.Add(NewRun(definition, runId ?? NewRunId(), bound, options, tags));
        }

        if (errors.Count > 0) throw new InvalidWorkflowInputException(workflow, errors);
        return await CreateAsync(runs, options, cancellationToken);
    }

    public async Task<RunInfo?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Its queries read one snapshot: a run is never shown with steps of a later commit than its own row. Ordered by
        // its key (one row at most) so the split query's row limit has the order EF Core asks of it, and logs no warning.
        await using var snapshot = await storeProvider.BeginSnapshotAsync(db, cancellationToken);
        var run = await db.Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .OrderBy(r => r.Id)
            .Include(r => r.Steps.OrderBy(s => s.Sequence).ThenBy(s => s.Id))
            .ThenInclude(s => s.Attempts.OrderBy(a => a.Number))
            .Include(r => r.Tags)
            .AsSplitQuery()
            .FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : RunInfoMapper.ToInfo(run, registry.Find(run.Workflow)) with { Reruns = await RunInfoMapper.RerunsOfAsync(db, runId, cancellationToken) };
    }

    public async Task CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (await operators.CancelAsync(runId, audit: null, cancellationToken) is { } parent) jobs.Enqueue(parent);
    }

    public async Task<NotifyResult> NotifyAsync(string eventId, object? payload = null, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        if (eventId.Length > 500) throw new ArgumentException("An event id is at most 500 characters.", nameof(eventId));
        var json = payload is JsonElement element ? element : JsonSerializer.SerializeToElement(payload, FlowJson.Data);
        var result = await waits.NotifyAsync(eventId, json, runId, cancellationToken);
        foreach (var woken in result.Woken) jobs.Enqueue(woken);
        return result;
    }

    /// <summary>
    /// Records the runs in one commit, then has each one created executed at its due time (its job is created in
    /// the background: creating a thousand Hangfire jobs takes longer than recording the runs).
    /// </summary>
    private async Task<IReadOnlyList<TriggerResult>> CreateAsync(List<NewRun> runs, TriggerOptions options, CancellationToken cancellationToken)
    {
        var dueAt = time.GetUtcNow().UtcDateTime + (options.Delay is { } delay && delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        var results = await operators.CreateRunsAsync(runs, options.Audit, dueAt, cancellationToken);
        var created = results.Where(r => r.Created).Select(r => r.RunId).ToList();
        jobs.Schedule(created, dueAt);
        return results;
    }

    /// <summary>A run about to be created, with its flow-control keys and the span that starts it.</summary>
    internal static NewRun NewRun(WorkflowDefinition definition, string runId, string input, TriggerOptions options, IReadOnlyList<RunTag> tags)
    {
        var flow = definition.Options.FlowControl;
        var key = FlowKeys.KeyOf(flow, input);
        return new NewRun(runId, definition.Name, input, options.Source, options.SourceRef, options.ScheduledFor, key, FlowKeys.SingletonOf(definition.Name, flow, key))
        {
            TraceParent = Telemetry.FlowTelemetry.StartRun(definition.Name, runId, options.Source.Name),
            Tags = tags,
        };
    }

    internal static string NewRunId() => Guid.CreateVersion7().ToString("N");
}
