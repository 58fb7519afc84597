namespace FlowDashboard.Scheduling;

/// <summary>What a schedule is: which workflow to start, when, with what input.</summary>
/// <remarks>Defaults: time zone UTC, input <c>null</c>, enabled, misfire <see cref="MisfirePolicy.Skip"/>.</remarks>
public sealed record ScheduleDefinition
{
    /// <summary>The workflow each fire starts.</summary>
    public required string Workflow { get; init; }

    /// <summary>A cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA time zone the cron expression is read in, such as <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The JSON input of every run it starts, checked against the workflow's input type.</summary>
    public string Input { get; init; } = "null";

    /// <summary>Whether it fires; a paused schedule keeps its definition and starts nothing.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>What to do about fire times missed while the application was down.</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.Skip;
}
