using Microsoft.Extensions.Options;

namespace FlowDashboard.Store;

/// <summary>Fails the start when no store is chosen, or the chosen one cannot work as configured, saying which and why.</summary>
internal sealed class StoreValidation : IValidateOptions<FlowDashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, FlowDashboardOptions options) => options.Store switch
    {
        null => ValidateOptionsResult.Fail(
            "FlowDashboard has no store: choose one in AddFlowDashboard, such as o.UseSqlite(\"Data Source=flows.db\") (package FlowDashboard.Sqlite)."),
        { Problem: { } problem } => ValidateOptionsResult.Fail(problem),
        _ => ValidateOptionsResult.Success,
    };
}
