using System.Data.Common;
using FlowDashboard.Bench.Measurement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FlowDashboard.Bench.Harness;

/// <summary>
/// The store a scenario runs on: a SQLite file at one synchronous level in the scenario's folder, or a database of
/// its own on the PostgreSQL server the bench was given (<c>--postgres</c>), dropped when the scenario ends.
/// </summary>
public sealed class BenchStore
{
    private readonly string? postgres;

    private BenchStore(SqliteSynchronous synchronous, string? postgres)
    {
        Synchronous = synchronous;
        this.postgres = postgres;
    }

    /// <summary>A SQLite file with WAL and <paramref name="synchronous"/>.</summary>
    public static BenchStore Sqlite(SqliteSynchronous synchronous) => new(synchronous, null);

    /// <summary>A database on the server <paramref name="admin"/> connects to (as a user that may create databases).</summary>
    public static BenchStore PostgreSql(string admin) => new(SqliteSynchronous.Full, admin);

    /// <summary>Whether this is the PostgreSQL store.</summary>
    public bool IsPostgreSql => postgres is not null;

    /// <summary>SQLite's synchronous level (unused on PostgreSQL).</summary>
    public SqliteSynchronous Synchronous { get; }

    /// <summary>How the store is named in every scenario's setting, and so which limit a line is held against.</summary>
    public string Setting => IsPostgreSql ? "PostgreSQL" : $"WAL+{Synchronous.ToString().ToUpperInvariant()}";

    /// <summary>The connection string of the store of the scenario in <paramref name="folder"/>.</summary>
    public string ConnectionString(TempFolder folder) =>
        postgres is null
            ? $"Data Source={folder.File("flows.db")}"
            : new NpgsqlConnectionStringBuilder(postgres) { Database = "bench_" + Path.GetFileName(folder.Path).Replace('-', '_') }.ToString();

    /// <summary>Points the engine at the store of the scenario in <paramref name="folder"/>.</summary>
    public FlowDashboardOptions Use(FlowDashboardOptions options, TempFolder folder) =>
        postgres is null ? options.UseSqlite(ConnectionString(folder), Synchronous) : options.UsePostgreSql(ConnectionString(folder));

    /// <summary>An unpooled connection of the bench's own to the store of the scenario in <paramref name="folder"/>.</summary>
    public DbConnection Connect(TempFolder folder) =>
        postgres is null
            ? new SqliteConnection(ConnectionString(folder) + ";Pooling=False")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(folder)) { Pooling = false }.ToString());

    /// <summary>Creates the scenario's database, for a scenario that writes without the engine (which creates its own).</summary>
    public async Task CreateAsync(TempFolder folder)
    {
        if (postgres is null) return;
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = $"CREATE DATABASE \"{new NpgsqlConnectionStringBuilder(ConnectionString(folder)).Database}\"";
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the scenario's database (a SQLite file goes with its folder).</summary>
    public async Task DropAsync(TempFolder folder)
    {
        if (postgres is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString(folder)).Database}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}
