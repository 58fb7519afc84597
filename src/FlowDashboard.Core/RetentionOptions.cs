namespace FlowDashboard;

/// <summary>
/// How long finished runs are kept (<c>FlowDashboard:Retention</c>), by final status, counted from when the run
/// finished. An older run is purged in the background with its steps, attempts, waiting events and audit entries;
/// the audit keeps one entry per purge. A status left null is kept forever, which is the default for all three.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>How long completed runs are kept, such as 7 days; null keeps them.</summary>
    public TimeSpan? Completed { get; set; }

    /// <summary>How long failed runs are kept, such as 30 days; null keeps them.</summary>
    public TimeSpan? Failed { get; set; }

    /// <summary>How long cancelled runs are kept, such as 30 days; null keeps them.</summary>
    public TimeSpan? Cancelled { get; set; }

    /// <summary>How often the purge looks for runs past their age; default 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many runs one commit purges; the engine's own writes go between two such commits. Default 200.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Whether any status is purged at all.</summary>
    public bool Enabled => Completed is not null || Failed is not null || Cancelled is not null;
}
