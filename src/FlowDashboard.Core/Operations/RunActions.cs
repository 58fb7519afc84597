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
internal sealed class RunActions(OperatorTransitions operators, IWorkflowClient client, JobDispatcher jobs, IDbContextFactory<FlowDbContext> contexts)
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
}
