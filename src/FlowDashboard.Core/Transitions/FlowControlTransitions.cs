using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>The rate limit of flow control: the step starts of the last period, per workflow and key.</summary>
internal sealed class FlowControlTransitions(RunWriter writer)
{
    /// <summary>
    /// Counts a step start against the workflow's (and key's) rate: granted while the last <paramref name="period"/>
    /// holds fewer than <paramref name="limit"/> starts, so no period, wherever it falls, holds more. Granted: the
    /// time the start was counted at, which the attempt records as its start. Not granted: when the oldest start
    /// of the period leaves it and this one may (the run is then marked throttled until then).
    /// </summary>
    public async Task<(bool Granted, DateTime At)> TakeRateTokenAsync(string runId, string workflow, string key, int limit, TimeSpan period, CancellationToken cancellationToken)
    {
        var (until, at) = await writer.WriteAsync<(DateTime?, DateTime)>(async batch =>
        {
            var db = batch.Db;

            // Counted under the key's lock: two starts at once never both take the last token of the period. The time is
            // read once the lock is held: a start that waited for another node's is later than it, never earlier.
            batch.Commands.LockKey($"{workflow}\u001f{key}");
            var now = writer.Now;
            var starts = db.RateStarts.Where(s => s.Workflow == workflow && s.Key == key);
            var since = now - period;
            await starts.Where(s => s.StartedAt <= since).ExecuteDeleteAsync(cancellationToken);
            var recent = await starts.OrderBy(s => s.StartedAt).Select(s => s.StartedAt).Take(limit).ToListAsync(cancellationToken);
            if (recent.Count >= limit)
            {
                var end = recent[0] + period;
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ThrottledUntil, end), cancellationToken);
                return (end, now);
            }

            db.RateStarts.Add(new RateStartEntity { Workflow = workflow, Key = key, StartedAt = now });
            await db.SaveChangesAsync(cancellationToken);
            return (null, now);
        }, cancellationToken);
        if (until is null) return (true, at);
        writer.Publish(runId);
        return (false, until.Value);
    }
}
