namespace FlowDashboard.Store;

/// <summary>
/// One step start counted against a workflow's rate limit (per concurrency key): the starts of the last period
/// are kept, so no period, wherever it falls, holds more starts than the limit.
/// </summary>
internal sealed class RateStartEntity
{
    /// <summary>The row's key.</summary>
    public long Id { get; set; }

    /// <summary>The workflow whose rate it counts against.</summary>
    public required string Workflow { get; set; }

    /// <summary>The concurrency key's value, or empty for a workflow-wide limit.</summary>
    public required string Key { get; set; }

    /// <summary>When the step started.</summary>
    public DateTime StartedAt { get; set; }
}
