using System.ComponentModel;
using FlowDashboard.Scheduling;
using FlowDashboard.Store;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Execution;

/// <summary>
/// The Hangfire recurring job of one schedule. It reads the schedule from the store and starts the run of
/// the latest fire time not yet handled, so a late, early or repeated delivery starts no extra run.
/// </summary>
internal sealed class ScheduleFireJob(IDbContextFactory<FlowDbContext> contexts, ScheduleRegistrar registrar, ScheduleFirer firer, TimeProvider time)
{
    // However long the job was not delivered, it looks back no further for the fire time it stands for.
    private static readonly TimeSpan LookBack = TimeSpan.FromDays(1);

    /// <summary>Starts the schedule's run for its latest due fire time.</summary>
    /// <param name="schedule">The schedule's name.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    [AutomaticRetry(Attempts = 0, LogEvents = false)] // A missed fire is not retried: the next one comes.
    [DisplayName("Fire schedule {0}")]
    public async Task FireAsync(string schedule, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Name == schedule, cancellationToken);
        if (entity is not { Enabled: true }
            || !CronText.TryParse(entity.Cron, out var cron, out _)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(entity.TimeZone, out var zone))
        {
            return;
        }

        var now = time.GetUtcNow();
        var since = new DateTimeOffset(entity.LastFireAt, TimeSpan.Zero);
        if (since < now - LookBack) since = now - LookBack;
        if (cron!.LatestBetween(since, now, zone) is not { } fireTime) return;

        await registrar.TryFireAsync(entity, fireTime, cancellationToken);
        await firer.MarkHandledAsync(schedule, fireTime, cancellationToken);
    }
}
