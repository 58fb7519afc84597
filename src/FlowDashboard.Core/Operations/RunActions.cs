using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Operations;

/// <summary>
/// What an operator's action does to one run, once authorized: the store's transition with its audit record, then
/// the job the run needs. The operations service acts through it for one run, a bulk operation (on any node) for many.
/// </summary>
internal sealed class RunActions(
    OperatorTransitions operators, IWorkflowClient client, JobDispatcher jobs, WorkflowRegistry registry, IDbContextFactory<FlowDbContext> contexts)
{
    /// <summary>Applies a bulk operation's action to one of its runs, naming the operation in the audit record.</summary>
    public Task ApplyAsync(BulkAction action, string actor, string runId, string bulkId, CancellationToken cancellationToken) => action switch
    {
        BulkAction.Cancel => CancelAsync(new AuditRecord(actor, "cancel", Detail: $"bulk {bulkId}"), runId, cancellationToken),
        BulkAction.Resume => ResumeAsync(actor, runId, bulkId, cancellationToken),
        BulkAction.Restart => RestartAsync(actor, runId, bulkId, cancellationToken),
        BulkAction.Delete => operators.DeleteAsync(runId, new AuditRecord(actor, "delete", Detail: $"bulk {bulkId}"), cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown bulk action."),
    };

    /// <summary>Cancels the run; a parent it was the child of is woken to hear of it.</summary>
    public async Task CancelAsync(AuditRecord audit, string runId, CancellationToken cancellationToken)
    {
        if (await operators.CancelAsync(runId, audit, cancellationToken) is { } parent) jobs.Enqueue(parent);
    }

    /// <summary>Sets a failed run going again where it failed.</summary>
    public async Task ResumeAsync(string actor, string runId, string? bulkId, CancellationToken cancellationToken)
    {
        await operators.ResumeAsync(runId, step: null, new AuditRecord(actor, "resume", Detail: bulkId is null ? null : $"bulk {bulkId}"), cancellationToken);
        jobs.Enqueue(runId);
    }

    /// <summary>Starts a new run of the same workflow with the same input and tags; the original's audit names it.</summary>
    public async Task<string> RestartAsync(string actor, string runId, string? bulkId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var original = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Workflow, r.Input })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new RunNotFoundException(runId);
        var tags = await db.RunTags.AsNoTracking().Where(t => t.RunId == runId).ToDictionaryAsync(t => t.Key, t => t.Value, StringComparer.Ordinal, cancellationToken);
        using var input = JsonDocument.Parse(original.Input ?? "null");
        var started = await client.TriggerAsync(
            original.Workflow, input.RootElement, new TriggerOptions { Source = RunSource.Restart, SourceRef = runId, Tags = tags }, cancellationToken);
        var detail = $"new run {started.RunId}" + (bulkId is null ? "" : $", bulk {bulkId}");
        await operators.AuditAsync(runId, new AuditRecord(actor, "restart", Detail: detail), cancellationToken);
        return started.RunId;
    }

    /// <summary>
    /// Starts a new run of a finished run's workflow that reuses the results of every step before <paramref name="fromStep"/>
    /// and runs on from it, with <paramref name="input"/> (checked as any trigger's) or the original's input.
    /// </summary>
    public async Task<string> RerunAsync(string actor, string runId, string fromStep, JsonElement? input, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var original = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Workflow, r.Input })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new RunNotFoundException(runId);
        var tags = await db.RunTags.AsNoTracking().Where(t => t.RunId == runId).OrderBy(t => t.Key).Select(t => new RunTag(t.Key, t.Value)).ToListAsync(cancellationToken);
        var definition = registry.Get(original.Workflow);
        string bound;
        if (input is { } edited)
        {
            bound = definition.BindInput(edited);
        }
        else
        {
            using var same = JsonDocument.Parse(original.Input ?? "null");
            bound = definition.BindInput(same.RootElement);
        }

        var edits = bound == original.Input ? null : "input edited";
        var run = WorkflowClient.NewRun(definition, WorkflowClient.NewRunId(), bound, new TriggerOptions { Source = RunSource.Rerun, SourceRef = runId }, tags);
        await operators.CreateRerunAsync(run, runId, fromStep, new AuditRecord(actor, "rerun", Detail: edits), cancellationToken);
        jobs.Enqueue(run.RunId);
        return run.RunId;
    }
}
