using FlowDashboard;

namespace FlowDashboard.Host;

/// <summary>
/// The standalone host's store, chosen by configuration: <c>FlowDashboard:Store</c> = <c>Sqlite</c> (the default) or
/// <c>PostgreSql</c>, on the connection string <c>ConnectionStrings:Flows</c>.
/// </summary>
internal static class HostStore
{
    /// <summary>Whether the configuration asks for PostgreSQL.</summary>
    /// <exception cref="InvalidOperationException">It names a store there is none of.</exception>
    public static bool IsPostgreSql(IConfiguration configuration) =>
        configuration["FlowDashboard:Store"] switch
        {
            null or "" => false,
            var store when store.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => false,
            var store when store.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) => true,
            var store => throw new InvalidOperationException($"FlowDashboard:Store is '{store}': use Sqlite or PostgreSql."),
        };

    /// <summary>The store's connection string.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Flows") ?? (IsPostgreSql(configuration)
            ? throw new InvalidOperationException("FlowDashboard:Store is PostgreSql: give ConnectionStrings:Flows, such as \"Host=127.0.0.1;Database=flows;Username=flows\".")
            : "Data Source=flows.db");

    /// <summary>Sets the store the configuration names.</summary>
    public static FlowDashboardOptions UseConfiguredStore(this FlowDashboardOptions options, IConfiguration configuration) =>
        IsPostgreSql(configuration)
            ? options.UsePostgreSql(ConnectionString(configuration))
            : options.UseSqlite(ConnectionString(configuration), configuration.GetValue("FlowDashboard:Synchronous", SqliteSynchronous.Full));
}
