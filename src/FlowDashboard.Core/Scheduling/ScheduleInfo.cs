using FlowDashboard.Client;

namespace FlowDashboard.Scheduling;

/// <summary>A schedule as the console and the API show it.</summary>
/// <param name="Name">Its name, which is its id.</param>
/// <param name="Definition">What it does.</param>
/// <param name="Description">The cron expression in words.</param>
/// <param name="NextFireAt">When it fires next; null when paused or when it never fires again.</param>
/// <param name="LastRun">The newest run it started, if any.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record ScheduleInfo(
    string Name,
    ScheduleDefinition Definition,
    string Description,
    DateTimeOffset? NextFireAt,
    RunSummaryInfo? LastRun,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
