namespace FlowDashboard.Scheduling;

/// <summary>What the editor shows under a cron expression as it is typed.</summary>
/// <param name="Description">The expression in words; null when it does not parse.</param>
/// <param name="NextFireTimes">The next fire times (UTC), empty when the expression or the zone is not valid.</param>
/// <param name="CronError">Why the expression does not parse.</param>
/// <param name="TimeZoneError">Why the time zone is not known.</param>
public sealed record SchedulePreview(string? Description, IReadOnlyList<DateTimeOffset> NextFireTimes, string? CronError, string? TimeZoneError);
