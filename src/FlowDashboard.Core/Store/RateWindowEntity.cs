namespace FlowDashboard.Store;

/// <summary>How many steps of a workflow (and key) started in the current rate window.</summary>
internal sealed class RateWindowEntity
{
    public required string Workflow { get; set; }
    public required string Key { get; set; }
    public DateTime WindowStart { get; set; }
    public int Count { get; set; }
}
