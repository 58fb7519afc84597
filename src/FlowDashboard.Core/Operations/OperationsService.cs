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
    PauseTransitions pauses,
    WorkflowRegistry registry,
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

    public async Task<string> RerunAsync(ClaimsPrincipal user, string runId, string fromStep, JsonElement? input = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromStep);
        return await actions.RerunAsync(await AuthorizeAsync(user, "rerun runs"), runId, fromStep, input, cancellationToken);
    }

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

    public async Task<bool> PauseWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default)
    {
        CheckPausable(workflow, key);
        var actor = await AuthorizeAsync(user, "pause workflows");
        return await pauses.PauseAsync(workflow, key, new AuditRecord(actor, "pause"), cancellationToken);
    }

    public async Task<int> ResumeWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default)
    {
        CheckPausable(workflow, key);
        var actor = await AuthorizeAsync(user, "resume workflows");
        var released = await pauses.ResumeAsync(workflow, key, new AuditRecord(actor, "resume-workflow"), cancellationToken)
            ?? throw new Exceptions.WorkflowNotPausedException($"{(key is null ? $"Workflow '{workflow}'" : $"Key '{key}' of workflow '{workflow}'")} is not paused.");
        jobs.Schedule(released, DateTime.MinValue);
        return released.Count;
    }

    public Task<BulkOperationInfo?> GetBulkAsync(string id, CancellationToken cancellationToken = default) => bulk.GetAsync(id, cancellationToken);

    /// <summary>The workflow exists and, when a key is named, pauses by key (its flow control has a key member).</summary>
    private void CheckPausable(string workflow, string? key)
    {
        var definition = registry.Get(workflow);
        if (key is null) return;
        if (definition.Options.FlowControl?.KeyMember is null)
        {
            throw new ArgumentException($"Workflow '{workflow}' has no flow-control key (FlowControl.KeyMember): pause the whole workflow instead.", nameof(key));
        }

        if (key.Length is 0 or > 200 || key.Any(char.IsControl)) throw new ArgumentException("A key is 1 to 200 characters, without control characters.", nameof(key));
    }

    private Task<string> AuthorizeAsync(ClaimsPrincipal user, string what) => gate.AuthorizeAsync(user, what);
}
