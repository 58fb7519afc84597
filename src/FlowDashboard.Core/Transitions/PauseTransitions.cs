using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>
/// An operator pausing a workflow (or one flow-control key of it) and resuming it. Each takes the workflow's pause lock
/// (see <see cref="PauseRegistry.LockKeyOf"/>), as a hold does, so a run is never held by a pause its resume has missed.
/// </summary>
internal sealed class PauseTransitions(RunWriter writer, PauseRegistry pauses)
{
    /// <summary>Pauses; false when it was paused already (nothing changes, nothing is audited).</summary>
    public async Task<bool> PauseAsync(string workflow, string? key, AuditRecord audit, CancellationToken cancellationToken)
    {
        var paused = await writer.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            batch.Commands.LockKey(PauseRegistry.LockKeyOf(workflow));
            var stored = key ?? "";
            if (await db.PausedWorkflows.AnyAsync(p => p.Workflow == workflow && p.Key == stored, cancellationToken)) return false;
            db.PausedWorkflows.Add(new PausedWorkflowEntity { Workflow = workflow, Key = stored, PausedAt = now, PausedBy = audit.Actor });
            db.Audit.Add(new AuditEntity { At = now, Actor = audit.Actor, Action = audit.Action, Target = TargetOf(workflow, key), Detail = audit.Detail });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        await pauses.ReadAsync(cancellationToken);
        return paused;
    }

    /// <summary>
    /// Resumes: the runs the pause held (and no other pause of the workflow still holds) are due at once, in the same
    /// commit. Returns their ids, or null when it was not paused.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ResumeAsync(string workflow, string? key, AuditRecord audit, CancellationToken cancellationToken)
    {
        var released = await writer.WriteAsync<IReadOnlyList<string>?>(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            batch.Commands.LockKey(PauseRegistry.LockKeyOf(workflow));
            var stored = key ?? "";
            if (await db.PausedWorkflows.Where(p => p.Workflow == workflow && p.Key == stored).ExecuteDeleteAsync(cancellationToken) == 0) return null;

            var free = db.Runs.Where(r => r.Held && r.Workflow == workflow
                && !db.PausedWorkflows.Any(p => p.Workflow == workflow && (p.Key == "" || p.Key == r.ConcurrencyKey)));
            var ids = await free.Select(r => r.Id).ToListAsync(cancellationToken);
            await free.ExecuteUpdateAsync(s => s.SetProperty(r => r.Held, false).SetProperty(r => r.DueAt, now).SetProperty(r => r.UpdatedAt, now), cancellationToken);
            db.Audit.Add(new AuditEntity
            {
                At = now,
                Actor = audit.Actor,
                Action = audit.Action,
                Target = TargetOf(workflow, key),
                Detail = $"{ids.Count} held run(s) released",
            });
            await db.SaveChangesAsync(cancellationToken);
            return ids;
        }, cancellationToken);
        await pauses.ReadAsync(cancellationToken);
        foreach (var runId in released ?? []) writer.Publish(runId);
        return released;
    }

    /// <summary>What the audit log names: the workflow, or <c>workflow [key]</c>.</summary>
    public static string TargetOf(string workflow, string? key) => key is null ? workflow : $"{workflow} [{key}]";
}
