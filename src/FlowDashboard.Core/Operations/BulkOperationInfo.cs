namespace FlowDashboard.Operations;

/// <summary>Where a bulk operation stands.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Action">What it does to each run.</param>
/// <param name="Actor">Who started it.</param>
/// <param name="Total">How many runs it selected when it started.</param>
/// <param name="Succeeded">Runs acted on.</param>
/// <param name="Skipped">Runs left alone because their state did not allow the action (or they were gone).</param>
/// <param name="Failed">Runs where the action failed for another reason.</param>
/// <param name="Finished">True once every selected run has been seen.</param>
/// <param name="LastError">The last unexpected error, if any.</param>
public sealed record BulkOperationInfo(
    string Id,
    BulkAction Action,
    string Actor,
    int Total,
    int Succeeded,
    int Skipped,
    int Failed,
    bool Finished,
    string? LastError)
{
    /// <summary>Runs seen so far.</summary>
    public int Done => Succeeded + Skipped + Failed;
}
