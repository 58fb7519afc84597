using FlowDashboard.Exceptions;
using FlowDashboard.Execution;
using FlowDashboard.Store;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Scheduling;

/// <summary>
/// Makes Hangfire's recurring jobs agree with the stored schedules: at start-up (handling the fire times
/// missed while the application was down) and after every change.
/// </summary>
internal sealed class ScheduleRegistrar(
    IDbContextFactory<FlowDbContext> contexts,
    IRecurringJobManager recurring,
    ScheduleFirer firer,
    TimeProvider time,
    ILogger<ScheduleRegistrar> logger)
{
    public static string JobId(string schedule) => $"schedule:{schedule}";

    /// <summary>Registers every schedule; a missed fire time starts one catch-up run under <see cref="MisfirePolicy.FireOnce"/>.</summary>
    public async Task RegisterAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var schedules = await db.Schedules.AsNoTracking().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var schedule in schedules)
        {
            if (schedule.Enabled && Parse(schedule) is var (cron, zone))
            {
                var since = new DateTimeOffset(schedule.LastFireAt, TimeSpan.Zero);
                if (cron.LatestBetween(since, now, zone) is { } missed)
                {
                    if (schedule.Misfire == MisfirePolicy.FireOnce)
                    {
                        logger.LogInformation("Schedule {Schedule} missed its fire times up to {Missed:O}: one catch-up run", schedule.Name, missed);
                        await TryFireAsync(schedule, missed, cancellationToken);
                    }
                    else
                    {
                        logger.LogInformation("Schedule {Schedule} missed its fire times up to {Missed:O}: skipped", schedule.Name, missed);
                    }

                    await firer.MarkHandledAsync(schedule.Name, missed, cancellationToken);
                }
            }

            Sync(schedule);
        }

        if (schedules.Count > 0) logger.LogInformation("Registered {Count} schedule(s) with Hangfire", schedules.Count);
    }

    /// <summary>Adds, updates or removes the schedule's recurring job to match the store.</summary>
    public void Sync(ScheduleEntity schedule)
    {
        if (!schedule.Enabled || Parse(schedule) is not var (_, zone))
        {
            recurring.RemoveIfExists(JobId(schedule.Name));
            return;
        }

        recurring.AddOrUpdate<ScheduleFireJob>(
            JobId(schedule.Name),
            job => job.FireAsync(schedule.Name, CancellationToken.None),
            schedule.Cron,
            new RecurringJobOptions { TimeZone = zone });
    }

    public void Remove(string schedule) => recurring.RemoveIfExists(JobId(schedule));

    /// <summary>Starts the run of a fire time; a schedule whose workflow or input no longer fits is logged, not retried.</summary>
    public async Task TryFireAsync(ScheduleEntity schedule, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        try
        {
            await firer.FireAsync(schedule, fireTime, ScheduleFirer.RunIdFor(schedule.Name, fireTime), cancellationToken);
        }
        catch (Exception ex) when (ex is WorkflowNotFoundException or InvalidWorkflowInputException)
        {
            logger.LogError("Schedule {Schedule} could not start a run for {FireTime:O}: {Error}", schedule.Name, fireTime, ex.Message);
        }
    }

    private (CronText Cron, TimeZoneInfo Zone)? Parse(ScheduleEntity schedule)
    {
        if (CronText.TryParse(schedule.Cron, out var cron, out var error) && TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out var zone))
        {
            return (cron!, zone);
        }

        logger.LogError("Schedule {Schedule} cannot fire: {Error}", schedule.Name, error ?? $"unknown time zone '{schedule.TimeZone}'");
        return null;
    }
}
