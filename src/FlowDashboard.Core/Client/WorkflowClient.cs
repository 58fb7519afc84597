using System.Text.Json;
using System.Text.RegularExpressions;
using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Client;

/// <summary>The <see cref="IWorkflowClient"/>: records first, then hands the run to Hangfire.</summary>
internal sealed partial class WorkflowClient(
    WorkflowRegistry registry,
    RunStore store,
    JobDispatcher jobs,
    IDbContextFactory<FlowDbContext> contexts,
    TimeProvider time) : IWorkflowClient
{
    public Task<TriggerResult> TriggerAsync<TInput>(string workflow, TInput input, TriggerOptions? options = null, CancellationToken cancellationToken = default) =>
        TriggerAsync(workflow, JsonSerializer.SerializeToElement(input, FlowJson.Data), options, cancellationToken);

    public async Task<TriggerResult> TriggerAsync(string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TriggerOptions();
        var definition = registry.Get(workflow);
        var runId = options.RunId ?? Guid.CreateVersion7().ToString("N");
        if (!RunIdPattern().IsMatch(runId))
        {
            throw new ArgumentException($"Run id '{runId}' is not valid: use 1 to 100 letters, digits and '-', '_', '.', ':'.", nameof(options));
        }

        var bound = definition.BindInput(input);
        var dueAt = time.GetUtcNow().UtcDateTime + (options.Delay is { } delay && delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        var flow = definition.Options.FlowControl;
        var key = FlowKeys.KeyOf(flow, bound);
        var result = await store.CreateRunAsync(
            new NewRun(runId, workflow, bound, options.Source, options.SourceRef, options.ScheduledFor, key, FlowKeys.SingletonOf(workflow, flow, key)),
            options.Audit, dueAt, cancellationToken);
        if (result.Created) jobs.Schedule(runId, dueAt);
        return result;
    }

    public async Task<RunInfo?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking()
            .Include(r => r.Steps.OrderBy(s => s.Sequence).ThenBy(s => s.Id))
            .ThenInclude(s => s.Attempts.OrderBy(a => a.Number))
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return run is null ? null : RunInfoMapper.ToInfo(run);
    }

    public Task CancelAsync(string runId, CancellationToken cancellationToken = default) => store.CancelAsync(runId, audit: null, cancellationToken);

    public async Task<NotifyResult> NotifyAsync(string eventId, object? payload = null, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        if (eventId.Length > 500) throw new ArgumentException("An event id is at most 500 characters.", nameof(eventId));
        var json = payload is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(payload, FlowJson.Data);
        var result = await store.NotifyAsync(eventId, json, runId, cancellationToken);
        foreach (var woken in result.Woken) jobs.Enqueue(woken);
        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex RunIdPattern();
}
