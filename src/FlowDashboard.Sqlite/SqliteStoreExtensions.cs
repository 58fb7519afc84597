using FlowDashboard;
using FlowDashboard.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the embedded SQLite store (in this namespace, as <c>AddFlowDashboard</c> is, so that no using is needed).</summary>
public static class SqliteStoreExtensions
{
    /// <summary>
    /// Runs FlowDashboard on one SQLite file (<c>Data Source=flows.db</c>), used by this process alone: a second process
    /// on the same file refuses to start. Hangfire's queue is kept in memory; the store is the source of truth.
    /// </summary>
    /// <param name="options">FlowDashboard's options.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file.</param>
    /// <param name="synchronous">
    /// SQLite's <c>synchronous</c> level, set on every connection together with WAL: <c>Full</c> (the default) makes
    /// each commit durable across power loss; <c>Normal</c> is faster and durable across process crashes.
    /// </param>
    public static FlowDashboardOptions UseSqlite(this FlowDashboardOptions options, string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return options.UseStore(new SqliteStoreProvider(connectionString, synchronous), connectionString);
    }
}
