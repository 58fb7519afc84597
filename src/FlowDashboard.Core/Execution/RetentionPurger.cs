using System.Diagnostics;
using System.Globalization;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Execution;

/// <summary>
/// Purges finished runs older than <see cref="FlowDashboardOptions.Retention"/> allows, with their steps, attempts,
/// waiting events and audit entries, in commits of <see cref="RetentionOptions.BatchSize"/> runs, and rests after each
/// for <see cref="RestPerBusy"/> times as long as it took: the purge holds the store's writer a tenth of the time at
/// most, so a purge of a million runs slows the engine a little for a while rather than stalls it (bench R1). Each
/// commit leaves one audit entry saying what it purged. One node purges at a time (a lock key, as the reconciler).
/// </summary>
internal sealed class RetentionPurger(CommitQueue writes, IOptions<FlowDashboardOptions> options, ILogger<RetentionPurger> logger)
{
    private const string PurgeLock = "retention";

    /// <summary>
    /// How long the purge rests after a commit, as a multiple of the time the commit took. Real time, not the engine's
    /// clock: it shares the writer and the cores, which a test's clock does not slow down.
    /// </summary>
    private const int RestPerBusy = 9;

    /// <summary>Purges every run past its age, batch by batch; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        var total = 0;
        foreach (var (status, age) in new[] { (RunStatus.Completed, retention.Completed), (RunStatus.Failed, retention.Failed), (RunStatus.Cancelled, retention.Cancelled) })
        {
            if (age is not { } keep) continue;
            int purged;
            do
            {
                var started = Stopwatch.GetTimestamp();
                purged = await PurgeBatchAsync(status, keep, retention.BatchSize, cancellationToken);
                total += purged;
                if (purged == retention.BatchSize) await Task.Delay(Stopwatch.GetElapsedTime(started) * RestPerBusy, cancellationToken);
            }
            while (purged == retention.BatchSize);
        }

        if (total > 0) logger.LogInformation("Retention purged {Count} finished run(s)", total);
        return total;
    }

    private Task<int> PurgeBatchAsync(RunStatus status, TimeSpan keep, int batchSize, CancellationToken cancellationToken) =>
        writes.WriteAsync(async batch =>
        {
            batch.Commands.LockKey(PurgeLock);
            var (db, now) = (batch.Db, batch.Now);
            var cutoff = now - keep;

            // Oldest first, on the (Status, CompletedAt) index. A failed run whose failure handler still has to run
            // (due) is not finished with yet.
            var ids = await db.Runs.Where(r => r.Status == status && r.CompletedAt < cutoff && r.DueAt == null)
                .OrderBy(r => r.CompletedAt).Take(batchSize).Select(r => r.Id).ToListAsync(cancellationToken);
            if (ids.Count == 0) return 0;

            await OperatorTransitions.DeleteRowsAsync(db, ids, cancellationToken);
            await db.Audit.Where(a => a.RunId != null && ids.Contains(a.RunId)).ExecuteDeleteAsync(cancellationToken);
            db.Audit.Add(new AuditEntity
            {
                At = now,
                Actor = "retention",
                Action = "purge",
                Detail = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{ids.Count} {status.ToString().ToLowerInvariant()} run(s) that finished before {cutoff:yyyy-MM-dd HH:mm:ss} UTC (kept {keep})"),
            });
            await db.SaveChangesAsync(cancellationToken);
            return ids.Count;
        }, cancellationToken);
}
