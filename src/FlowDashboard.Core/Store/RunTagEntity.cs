namespace FlowDashboard.Store;

/// <summary>
/// One tag of a run: a key and its value (one value per key). The run's creation time is copied onto it, so a
/// list filtered by a tag pages through the tag's own index in the list's order instead of sorting every tagged run.
/// </summary>
internal sealed class RunTagEntity
{
    public required string RunId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }

    /// <summary>The run's <see cref="RunEntity.CreatedAt"/>.</summary>
    public DateTime CreatedAt { get; set; }
}
