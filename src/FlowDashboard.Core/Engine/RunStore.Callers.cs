using FlowDashboard.Client;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Engine;

/// <summary>The transitions made on behalf of callers rather than executions: creating and cancelling runs.</summary>
internal sealed partial class RunStore
{
    public async Task<TriggerResult> CreateRunAsync(
        string runId, string workflow, string input, string source, DateTime dueAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await ExistingWorkflowAsync(db, runId, cancellationToken);
        if (existing is not null) return Existing(runId, workflow, existing);

        var now = Now;
        db.Runs.Add(new RunEntity
        {
            Id = runId,
            Workflow = workflow,
            Status = RunStatus.Pending,
            Source = source,
            Input = input,
            CreatedAt = now,
            UpdatedAt = now,
            DueAt = dueAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new TriggerResult(runId, Created: true);
        }
        catch (DbUpdateException)
        {
            // Two triggers with one id raced; the primary key let one through.
            db.ChangeTracker.Clear();
            existing = await ExistingWorkflowAsync(db, runId, cancellationToken);
            if (existing is null) throw;
            return Existing(runId, workflow, existing);
        }
    }

    /// <summary>
    /// Cancels a run that is not final. Clearing the lease owner fences out an execution in progress, so
    /// whatever it was about to record is refused.
    /// </summary>
    public async Task CancelAsync(string runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new RunNotFoundException(runId);
        if (run.Status.IsFinal()) throw new RunConflictException(runId, $"Run '{runId}' is already {run.Status} and cannot be cancelled.");

        var now = Now;
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.CompletedAt, now).SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.DueAt, (DateTime?)null).SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null).SetProperty(r => r.Version, r => r.Version + 1),
            cancellationToken);
        var open = db.Steps.Where(s => s.RunId == runId && (s.Status == StepStatus.Running || s.Status == StepStatus.Sleeping || s.Status == StepStatus.Waiting));
        await db.Attempts.Where(a => a.Status == AttemptStatus.Running && open.Any(s => s.Id == a.StepId)).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Cancelled).SetProperty(a => a.EndedAt, now), cancellationToken);
        await open.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.Status, StepStatus.Cancelled).SetProperty(x => x.CompletedAt, now).SetProperty(x => x.NextAttemptAt, (DateTime?)null),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task<string?> ExistingWorkflowAsync(FlowDbContext db, string runId, CancellationToken cancellationToken) =>
        db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Workflow).FirstOrDefaultAsync(cancellationToken);

    private static TriggerResult Existing(string runId, string workflow, string existingWorkflow) =>
        existingWorkflow == workflow
            ? new TriggerResult(runId, Created: false)
            : throw new RunConflictException(runId, $"Run id '{runId}' is already used by a run of workflow '{existingWorkflow}'.");
}
