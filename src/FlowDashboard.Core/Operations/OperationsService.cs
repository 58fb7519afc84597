using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Operations;

/// <summary>The <see cref="IOperationsService"/>: authorizes, then changes the store, then hands due runs to Hangfire.</summary>
internal sealed class OperationsService(
    OperatorTransitions operators,
    IWorkflowClient client,
    JobDispatcher jobs,
    IDbContextFactory<FlowDbContext> contexts,
    BulkOperationRunner bulk,
    OperatorGate gate) : IOperationsService
{
    public bool IsReadOnly => gate.IsReadOnly;

    public Task<bool> CanOperateAsync(ClaimsPrincipal user) => gate.CanOperateAsync(user);

    public async Task<TriggerResult> TriggerAsync(
        ClaimsPrincipal user, string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var actor = await AuthorizeAsync(user, "start runs");
        options ??= new TriggerOptions();

        // The audit record is written in the commit that creates the run; a repeated trigger records nothing.
        return await client.TriggerAsync(workflow, input, options with { SourceRef = actor, Audit = new AuditRecord(actor, "trigger") }, cancellationToken);
    }

    public async Task<IReadOnlyList<TriggerResult>> TriggerBatchAsync(
        ClaimsPrincipal user, string workflow, IReadOnlyList<BatchItem> items, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var actor = await AuthorizeAsync(user, "start runs");
        options ??= new TriggerOptions();
        return await client.TriggerBatchAsync(workflow, items, options with { SourceRef = actor, Audit = new AuditRecord(actor, "trigger") }, cancellationToken);
    }

    public async Task<NotifyResult> NotifyAsync(ClaimsPrincipal user, string eventId, JsonElement payload, string? runId = null, CancellationToken cancellationToken = default)
    {
        var actor = await AuthorizeAsync(user, "notify events");
        var result = await client.NotifyAsync(eventId, payload, runId, cancellationToken);

        // An operator's notify to one run is an action on that run; the events applications send to many are not audited.
        if (runId is not null) await operators.AuditAsync(runId, new AuditRecord(actor, "notify", eventId, result.Kept ? "kept until the run waits" : null), cancellationToken);
        return result;
    }

    public async Task RetryStepAsync(ClaimsPrincipal user, string runId, string step, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(step);
        var actor = await AuthorizeAsync(user, "retry steps");
        await operators.ResumeAsync(runId, step, new AuditRecord(actor, "retry-step", step), cancellationToken);
        jobs.Enqueue(runId);
    }

    public async Task ResumeAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await ResumeAsync(await AuthorizeAsync(user, "resume runs"), runId, bulkId: null, cancellationToken);

    public async Task<string> RestartAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await RestartAsync(await AuthorizeAsync(user, "restart runs"), runId, bulkId: null, cancellationToken);

    public async Task CancelAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await CancelAsync(new AuditRecord(await AuthorizeAsync(user, "cancel runs"), "cancel"), runId, cancellationToken);

    public async Task DeleteAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await operators.DeleteAsync(runId, new AuditRecord(await AuthorizeAsync(user, "delete runs"), "delete"), cancellationToken);

    public async Task<BulkOperationInfo> StartBulkAsync(ClaimsPrincipal user, BulkAction action, RunSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var actor = await AuthorizeAsync(user, "act on many runs");
        return await bulk.StartAsync(action, selection, actor, (runId, bulkId, ct) => ApplyAsync(action, actor, runId, bulkId, ct), cancellationToken);
    }

    public BulkOperationInfo? GetBulk(string id) => bulk.Get(id);

    private Task ApplyAsync(BulkAction action, string actor, string runId, string bulkId, CancellationToken cancellationToken) => action switch
    {
        BulkAction.Cancel => CancelAsync(new AuditRecord(actor, "cancel", Detail: $"bulk {bulkId}"), runId, cancellationToken),
        BulkAction.Resume => ResumeAsync(actor, runId, bulkId, cancellationToken),
        BulkAction.Restart => RestartAsync(actor, runId, bulkId, cancellationToken),
        BulkAction.Delete => operators.DeleteAsync(runId, new AuditRecord(actor, "delete", Detail: $"bulk {bulkId}"), cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown bulk action."),
    };

    /// <summary>Cancels the run; a parent it was the child of is woken to hear of it.</summary>
    private async Task CancelAsync(AuditRecord audit, string runId, CancellationToken cancellationToken)
    {
        if (await operators.CancelAsync(runId, audit, cancellationToken) is { } parent) jobs.Enqueue(parent);
    }

    private async Task ResumeAsync(string actor, string runId, string? bulkId, CancellationToken cancellationToken)
    {
        await operators.ResumeAsync(runId, step: null, new AuditRecord(actor, "resume", Detail: bulkId is null ? null : $"bulk {bulkId}"), cancellationToken);
        jobs.Enqueue(runId);
    }

    private async Task<string> RestartAsync(string actor, string runId, string? bulkId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var original = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Workflow, r.Input })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new RunNotFoundException(runId);
        using var input = JsonDocument.Parse(original.Input ?? "null");
        var started = await client.TriggerAsync(
            original.Workflow, input.RootElement, new TriggerOptions { Source = RunSource.Restart, SourceRef = runId }, cancellationToken);
        var detail = $"new run {started.RunId}" + (bulkId is null ? "" : $", bulk {bulkId}");
        await operators.AuditAsync(runId, new AuditRecord(actor, "restart", Detail: detail), cancellationToken);
        return started.RunId;
    }

    private Task<string> AuthorizeAsync(ClaimsPrincipal user, string what) => gate.AuthorizeAsync(user, what);
}
