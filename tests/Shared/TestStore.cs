using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FlowDashboard.Tests.Shared;

/// <summary>
/// The store a test host runs on. <c>FLOWDASHBOARD_TEST_STORE=postgresql</c> puts every host on a database of its own
/// in the private PostgreSQL cluster that <c>./test.sh</c> starts (<c>FLOWDASHBOARD_TEST_POSTGRES</c>, its admin
/// connection string); otherwise each host has a SQLite file in its folder. Linked into each test project that
/// starts a host, so one suite runs on either store unchanged.
/// </summary>
public static class TestStore
{
    /// <summary>True when this test run is on PostgreSQL.</summary>
    public static bool IsPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("FLOWDASHBOARD_TEST_STORE"), "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store's name, for messages.</summary>
    public static string Name => IsPostgreSql ? "PostgreSQL" : "SQLite";

    /// <summary>Points <paramref name="options"/> at the store of a host whose files live in <paramref name="folder"/>.</summary>
    public static FlowDashboardOptions Use(FlowDashboardOptions options, string folder) =>
        IsPostgreSql ? options.UsePostgreSql(ConnectionString(folder)) : options.UseSqlite($"Data Source={Path.Combine(folder, "flows.db")}");

    /// <summary>The connection string of the store of the host in <paramref name="folder"/>: a database named after the folder.</summary>
    public static string ConnectionString(string folder) =>
        IsPostgreSql
            ? new NpgsqlConnectionStringBuilder(Admin) { Database = DatabaseName(folder) }.ToString()
            : $"Data Source={Path.Combine(folder, "flows.db")}";

    /// <summary>An unpooled connection of the test's own to the store of the host in <paramref name="folder"/> (SQLite: read-only).</summary>
    public static DbConnection Connect(string folder) =>
        IsPostgreSql
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(folder)) { Pooling = false }.ToString())
            : new SqliteConnection($"{ConnectionString(folder)};Mode=ReadOnly;Pooling=False");

    /// <summary>The store's tables (FlowDashboard's own: not Hangfire's, which live in a file or schema of their own).</summary>
    public static string TablesQuery =>
        IsPostgreSql
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

    /// <summary>Drops the database of the host in <paramref name="folder"/> (a SQLite file goes with its folder).</summary>
    public static async Task DropAsync(string folder)
    {
        if (!IsPostgreSql) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{DatabaseName(folder)}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    private static string Admin => Environment.GetEnvironmentVariable("FLOWDASHBOARD_TEST_POSTGRES")
        ?? throw new InvalidOperationException("FLOWDASHBOARD_TEST_STORE=postgresql needs FLOWDASHBOARD_TEST_POSTGRES: run the tests with ./test.sh, which starts the cluster.");

    private static string DatabaseName(string folder)
    {
        var name = new string(Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)).Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return "flows_" + name[^Math.Min(name.Length, 50)..];
    }
}
