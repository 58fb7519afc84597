namespace FlowDashboard.Store;

/// <summary>One operator action: who did what to which run or schedule, and when. Rows are only ever added.</summary>
internal sealed class AuditEntity
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? RunId { get; set; }
    public string? Target { get; set; }
    public string? Detail { get; set; }
}
