using FlowDashboard.Engine;
using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Execution;

/// <summary>
/// Makes Hangfire's queue agree with the store: every run with work left that no live lease holds gets
/// a job. At start-up that is every such run (the in-memory queue starts empty); afterwards, runs due
/// for longer than one interval, whose job must have been lost.
/// </summary>
internal sealed class Reconciler(IDbContextFactory<FlowDbContext> contexts, CallTransitions callTransitions, JobDispatcher jobs, TimeProvider time, ILogger<Reconciler> logger)
{
    private const int BatchSize = 5000;

    /// <summary>Gives a job to each due, unleased run; returns how many.</summary>
    /// <param name="overdueBy">Only runs due at least this long ago; null for every run with work left, due or not.</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    public async Task<int> ReconcileAsync(TimeSpan? overdueBy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Runs.AsNoTracking().Where(r => r.DueAt != null && (r.LeaseOwner == null || r.LeaseExpiresAt < now));
        if (overdueBy is { } age)
        {
            var cutoff = now - age;
            query = query.Where(r => r.DueAt <= cutoff);
        }

        var due = await query.OrderBy(r => r.DueAt).Take(BatchSize).Select(r => new { r.Id, r.DueAt }).ToListAsync(cancellationToken);
        foreach (var run in due) jobs.Schedule(run.Id, run.DueAt!.Value);
        if (due.Count > 0) logger.LogInformation("Reconciler handed {Count} run(s) to Hangfire", due.Count);

        // HTTP calls made by jobs of their own: at start-up every one still waiting; afterwards the retries whose job was lost.
        var calls = await callTransitions.CallsWithoutJobAsync(overdueBy, cancellationToken);
        foreach (var (stepId, next) in calls) jobs.ScheduleCall(stepId, next);
        if (calls.Count > 0) logger.LogInformation("Reconciler handed {Count} call(s) to Hangfire", calls.Count);
        return due.Count;
    }

    /// <summary>Frees every lease. Only for the embedded store at start-up, where the file lock proves no other process holds one.</summary>
    public async Task ReleaseAllLeasesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var freed = await db.Runs.Where(r => r.LeaseOwner != null).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (freed > 0) logger.LogInformation("Freed {Count} lease(s) left by a previous process", freed);
    }
}
