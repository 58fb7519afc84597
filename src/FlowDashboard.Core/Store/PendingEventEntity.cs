namespace FlowDashboard.Store;

/// <summary>An event notified for a run before the run waited for it: kept until its wait consumes it.</summary>
internal sealed class PendingEventEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public required string EventId { get; set; }
    public string? Payload { get; set; }
    public DateTime CreatedAt { get; set; }
}
