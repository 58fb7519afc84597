using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Engine;

/// <summary>The rate limit of flow control: step starts counted per workflow and key in fixed windows.</summary>
internal sealed partial class RunStore
{
    /// <summary>
    /// Counts a step start against the workflow's (and key's) rate window; returns null when it may start now,
    /// or when the window ends and it may (the run is then marked throttled until then).
    /// </summary>
    public async Task<DateTime?> TakeRateTokenAsync(string runId, string workflow, string key, int limit, TimeSpan period, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
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
            var until = window.WindowStart + period;
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ThrottledUntil, until), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changes.Publish(runId);
            return until;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
