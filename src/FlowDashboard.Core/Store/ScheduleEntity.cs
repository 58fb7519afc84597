using FlowDashboard.Scheduling;

namespace FlowDashboard.Store;

/// <summary>A schedule's row: the source of truth from which Hangfire's recurring job is made.</summary>
internal sealed class ScheduleEntity
{
    public required string Name { get; set; }
    public required string Workflow { get; set; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public string? Input { get; set; }
    public bool Enabled { get; set; }
    public MisfirePolicy Misfire { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The last fire time that was handled (run started, or skipped as missed): nothing at or before it fires again.</summary>
    public DateTime LastFireAt { get; set; }
}
