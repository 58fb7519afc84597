using System.Globalization;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Scheduling;

/// <summary>
/// Starts a schedule's run for one fire time. The run's id is made of the schedule's name and the fire
/// time, so a fire time delivered twice (Hangfire, a backfill, a restart) still starts one run.
/// </summary>
internal sealed class ScheduleFirer(IWorkflowClient client, CommitQueue writes, ILogger<ScheduleFirer> logger)
{
    /// <summary>The tag every run a schedule starts carries, with the schedule's name: its runs are one filter away.</summary>
    public const string ScheduleTag = "schedule";

    public static string RunIdFor(string schedule, DateTimeOffset fireTime) =>
        $"{schedule}:{fireTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>Starts the run of <paramref name="fireTime"/> unless it exists; true when it was started now.</summary>
    public async Task<bool> FireAsync(ScheduleEntity schedule, DateTimeOffset fireTime, string runId, CancellationToken cancellationToken)
    {
        using var input = JsonDocument.Parse(schedule.Input ?? "null");
        var options = new TriggerOptions
        {
            RunId = runId,
            Source = RunSource.Schedule,
            SourceRef = schedule.Name,
            ScheduledFor = fireTime.UtcDateTime,
            Tags = new Dictionary<string, string> { [ScheduleTag] = schedule.Name },
        };
        var result = await client.TriggerAsync(schedule.Workflow, input.RootElement, options, cancellationToken);
        if (result.Created) logger.LogDebug("Schedule {Schedule} started run {RunId} for {FireTime:O}", schedule.Name, runId, fireTime);
        return result.Created;
    }

    /// <summary>Records <paramref name="fireTime"/> as handled, unless a later one already is.</summary>
    public async Task MarkHandledAsync(string schedule, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        var at = fireTime.UtcDateTime;
        await writes.WriteAsync(
            batch => batch.Db.Schedules.Where(s => s.Name == schedule && s.LastFireAt < at).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastFireAt, at), cancellationToken),
            cancellationToken);
    }
}
