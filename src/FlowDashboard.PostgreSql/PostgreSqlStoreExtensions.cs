using FlowDashboard;
using FlowDashboard.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the PostgreSQL store (in this namespace, as <c>AddFlowDashboard</c> is, so that no using is needed).</summary>
public static class PostgreSqlStoreExtensions
{
    /// <summary>
    /// Runs FlowDashboard on a PostgreSQL database (<c>Host=...;Database=flows;Username=...;Password=...</c>), created and
    /// migrated at start-up when missing, with Hangfire's queue in the same database (schema <c>hangfire</c>).
    /// </summary>
    /// <param name="options">FlowDashboard's options.</param>
    /// <param name="connectionString">An Npgsql connection string that names the database.</param>
    public static FlowDashboardOptions UsePostgreSql(this FlowDashboardOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return options.UseStore(new PostgreSqlStoreProvider(connectionString), connectionString);
    }
}
