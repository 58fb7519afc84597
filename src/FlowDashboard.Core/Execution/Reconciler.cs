using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Execution;

/// <summary>
/// Makes Hangfire's queue agree with the store: a run with work left that no live lease holds, and whose job was
/// lost, gets a job. At the start of a single-process store that is every such run (its in-memory queue starts
/// empty); otherwise a run due for longer than one interval, claimed by one node's pass (its job then counts as
/// lost again only a minute later), and only once the queue has no job waiting: a run behind a long queue
/// still has its job in it, and a pass that gave it another each interval would grow the queue without end.
/// </summary>
internal sealed class Reconciler(
    IDbContextFactory<FlowDbContext> contexts,
    CommitQueue writes,
    JobStorage storage,
    CallTransitions callTransitions,
    JobDispatcher jobs,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private const int BatchSize = 5000;

    /// <summary>The Hangfire queue every job of the engine goes to.</summary>
    private const string Queue = "default";

    private const string ReconcileLock = "reconcile";

    /// <summary>
    /// How long a run a pass handed a job stays claimed (or one interval, if longer): long enough for the job to be
    /// created, fetched and to take the lease on a busy node, so another node's pass meanwhile leaves the run alone.
    /// </summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(1);

    /// <summary>Gives a job to each due, unleased run whose job was lost; returns how many.</summary>
    /// <param name="overdueBy">Only runs due at least this long ago, once the queue is drained; null for every run with work left, due or not (single-process start-up).</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    public async Task<int> ReconcileAsync(TimeSpan? overdueBy, CancellationToken cancellationToken)
    {
        // Runs count as overdue from the moment the queue was found empty, not from when the pass's write runs (a busy
        // writer may take a while): a run due since before then had its job created or counted by then.
        var checkedAt = time.GetUtcNow().UtcDateTime;
        if (overdueBy is not null && jobs.Backlog + storage.GetMonitoringApi().EnqueuedCount(Queue) is var waiting and > 0)
        {
            logger.LogDebug("Reconciler skipped its pass: {Count} job(s) still wait to be created or fetched", waiting);
            return 0;
        }

        // One pass at a time across nodes, each claiming what it hands out: a second node's pass waits for the
        // first's commit, then finds those runs claimed for a minute.
        var due = await writes.WriteAsync(async batch =>
        {
            batch.Commands.LockKey(ReconcileLock);
            var (db, now) = (batch.Db, batch.Now);
            var query = db.Runs.Where(r => r.DueAt != null && (r.LeaseOwner == null || r.LeaseExpiresAt < now));
            if (overdueBy is { } age)
            {
                // A run held back by flow control has a job of its own again at ThrottledUntil.
                var cutoff = checkedAt - age;
                var claimed = now - (age > ClaimFor ? age : ClaimFor);
                query = query.Where(r => r.DueAt <= cutoff && (r.ThrottledUntil == null || r.ThrottledUntil <= cutoff)
                    && (r.ReconciledAt == null || r.ReconciledAt <= claimed));
            }

            var due = await query.OrderBy(r => r.DueAt).Take(BatchSize).Select(r => new { r.Id, r.DueAt }).ToListAsync(cancellationToken);
            var ids = due.Select(r => r.Id).ToList();
            if (ids.Count > 0) await db.Runs.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.ReconciledAt, now), cancellationToken);
            return due;
        }, cancellationToken);
        foreach (var run in due) jobs.Schedule(run.Id, run.DueAt!.Value);
        if (due.Count > 0) logger.LogInformation("Reconciler handed {Count} run(s) to Hangfire", due.Count);

        // HTTP calls made by jobs of their own: at start-up every one still waiting; afterwards those whose job was lost.
        var calls = await callTransitions.CallsWithoutJobAsync(overdueBy, cancellationToken);
        foreach (var (stepId, next) in calls) jobs.ScheduleCall(stepId, next);
        if (calls.Count > 0) logger.LogInformation("Reconciler handed {Count} call(s) to Hangfire", calls.Count);
        return due.Count;
    }

    /// <summary>
    /// Frees every lease and ends every call attempt still marked running. Only for a single-process store at
    /// start-up, where the file lock proves no other process holds a run or makes a call.
    /// </summary>
    public async Task ReleaseAllLeasesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var freed = await db.Runs.Where(r => r.LeaseOwner != null).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null).SetProperty(r => r.Version, r => r.Version + 1),
            cancellationToken);
        if (freed > 0) logger.LogInformation("Freed {Count} lease(s) left by a previous process", freed);
        var interrupted = await callTransitions.InterruptAllAttemptsAsync(cancellationToken);
        if (interrupted > 0) logger.LogInformation("Ended {Count} call attempt(s) left running by a previous process", interrupted);
    }
}
