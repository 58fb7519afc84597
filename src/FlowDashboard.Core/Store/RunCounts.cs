namespace FlowDashboard.Store;

/// <summary>
/// The names of the triggers that keep <c>run_counts</c> (see <see cref="RunCountEntity"/>), declared on the runs table
/// so EF Core writes around them. Each provider's migrations create them.
/// </summary>
internal static class RunCounts
{
    public const string InsertTrigger = "runs_count_insert";
    public const string UpdateTrigger = "runs_count_update";
    public const string DeleteTrigger = "runs_count_delete";
}
