using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.Transitions;

namespace FlowDashboard.Operations;

/// <summary>The <see cref="IOperationsService"/>: authorizes, then changes the store, then hands due runs to Hangfire.</summary>
internal sealed class OperationsService(
    OperatorTransitions operators,
    IWorkflowClient client,
    JobDispatcher jobs,
    RunActions actions,
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
        await actions.ResumeAsync(await AuthorizeAsync(user, "resume runs"), runId, bulkId: null, cancellationToken);

    public async Task<string> RestartAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await actions.RestartAsync(await AuthorizeAsync(user, "restart runs"), runId, bulkId: null, cancellationToken);

    public async Task CancelAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await actions.CancelAsync(new AuditRecord(await AuthorizeAsync(user, "cancel runs"), "cancel"), runId, cancellationToken);

    public async Task DeleteAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) =>
        await operators.DeleteAsync(runId, new AuditRecord(await AuthorizeAsync(user, "delete runs"), "delete"), cancellationToken);

    public async Task<BulkOperationInfo> StartBulkAsync(ClaimsPrincipal user, BulkAction action, RunSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var actor = await AuthorizeAsync(user, "act on many runs");
        return await bulk.StartAsync(action, selection, actor, cancellationToken);
    }

    public Task<BulkOperationInfo?> GetBulkAsync(string id, CancellationToken cancellationToken = default) => bulk.GetAsync(id, cancellationToken);

    private Task<string> AuthorizeAsync(ClaimsPrincipal user, string what) => gate.AuthorizeAsync(user, what);
}
