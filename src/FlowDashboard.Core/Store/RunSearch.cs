namespace FlowDashboard.Store;

/// <summary>
/// The names of the triggers that keep a provider's search index of the runs list (id and input of every run),
/// declared on the runs table so EF Core writes around them. Each provider's migrations create them.
/// </summary>
internal static class RunSearch
{
    public const string InsertTrigger = "runs_search_insert";
    public const string UpdateTrigger = "runs_search_update";
    public const string DeleteTrigger = "runs_search_delete";
}
