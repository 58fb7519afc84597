using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Engine;

/// <summary>The rate limit of flow control: step starts counted per workflow and key in fixed windows.</summary>
internal sealed partial class RunStore
{
    /// <summary>
    /// Counts a step start against the workflow's (and key's) rate window. Granted: the time the start was
    /// counted at, which the attempt records as its start, so no window ever holds more starts than the limit.
    /// Not granted: when the window ends and it may start (the run is then marked throttled until then).
    /// </summary>
    public async Task<(bool Granted, DateTime At)> TakeRateTokenAsync(string runId, string workflow, string key, int limit, TimeSpan period, CancellationToken cancellationToken)
    {
        var (until, at) = await WriteAsync<(DateTime?, DateTime)>(async (db, now) =>
        {
            var window = await db.RateWindows.FirstOrDefaultAsync(w => w.Workflow == workflow && w.Key == key, cancellationToken);
            if (window is null)
            {
                db.RateWindows.Add(new RateWindowEntity { Workflow = workflow, Key = key, WindowStart = now, Count = 1 });
            }
            else if (window.WindowStart + period <= now)
            {
                window.WindowStart = now;
                window.Count = 1;
            }
            else if (window.Count < limit)
            {
                window.Count++;
            }
            else
            {
                var end = window.WindowStart + period;
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ThrottledUntil, end), cancellationToken);
                return (end, now);
            }

            await db.SaveChangesAsync(cancellationToken);
            return (null, now);
        }, cancellationToken);
        if (until is null) return (true, at);
        changes.Publish(runId);
        return (false, until.Value);
    }
}
