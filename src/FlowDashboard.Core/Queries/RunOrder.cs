namespace FlowDashboard.Queries;

/// <summary>
/// The order of the runs list: by creation time, either way. Both read the (CreatedAt, Id) indexes, so every page of
/// either order costs the same on a million runs; orders no index serves (duration, end time) are left out on purpose.
/// </summary>
public enum RunOrder
{
    /// <summary>The newest run first (the default).</summary>
    NewestFirst,

    /// <summary>The oldest run first.</summary>
    OldestFirst,
}
