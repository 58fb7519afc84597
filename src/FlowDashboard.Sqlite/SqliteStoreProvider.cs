using System.Data.Common;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, used by one process (a lock file next to it says which), with
/// Hangfire's queue in memory: the store is the source of truth, and the reconciler gives every due run a job again
/// at start-up.
/// </summary>
/// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file.</param>
/// <param name="synchronous">SQLite's <c>synchronous</c> level, set on every connection.</param>
internal sealed class SqliteStoreProvider(string connectionString, SqliteSynchronous synchronous) : IStoreProvider
{
    private const string Migrations = "FlowDashboard.Migrations.Sqlite";

    public bool IsSingleProcess => true;

    // Enough to carry a full round of runs in flight in one commit; more would only delay the first of them.
    public int MaxBatch => 256;

    // One process, one writer: no other transaction to collide with.
    public bool IsTransient(Exception error) => false;

    public string MigrationsAssembly => Migrations;

    public string? Problem => FilePath is null
        ? "FlowDashboard's SQLite store must be a file: call o.UseSqlite(\"Data Source=flows.db\") with a connection string that names one."
        : null;

    /// <summary>The store's file, or null when the connection string names none (an in-memory database).</summary>
    public string? FilePath
    {
        get
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:") return null;
            return Path.GetFullPath(builder.DataSource);
        }
    }

    public void Configure(DbContextOptionsBuilder builder) =>
        builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(Migrations))
            .AddInterceptors(new SqlitePragmaInterceptor(synchronous));

    public JobStorage CreateJobStorage(IServiceProvider services) => new InMemoryStorage();

    public async Task<IAsyncDisposable> BeginSnapshotAsync(FlowDbContext db, CancellationToken cancellationToken)
    {
        // Deferred: the snapshot starts at the first read and never waits for, or holds up, the writer (WAL).
        await db.Database.OpenConnectionAsync(cancellationToken);
        var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        return transaction;
    }

    // The file holds only the store (Hangfire's queue is in memory): its pages are the size.
    public Task<long> SizeAsync(FlowDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>("SELECT page_count * page_size AS \"Value\" FROM pragma_page_count(), pragma_page_size()").SingleAsync(cancellationToken);

    // One process owns the file: its feed already tells every page it serves.
    public IRunChangeRelay? StartChangeRelay(RunChangeFeed feed, ILogger logger) => null;

    public IWriterCommands CreateWriterCommands(DbConnection connection) => new SqliteWriterCommands((SqliteConnection)connection);

    public IQueryable<RunEntity> Search(FlowDbContext db, string text) => SqliteRunSearch.Matching(db, text);

    public async Task<IDisposable?> PrepareAsync(FlowDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var path = FilePath!;
        var fileLock = SqliteFileLock.Acquire(path);
        try
        {
            if (await SqliteMigrationLock.ClearStaleAsync(db, cancellationToken))
            {
                logger.LogWarning(
                    "FlowDashboard found the migration lock of a process that stopped while migrating {Path}; this process holds the store's lock file, so the lock was stale and is cleared",
                    path);
            }

            return fileLock;
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    public async Task<string> DescribeAsync(FlowDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode; PRAGMA synchronous;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var journal = reader.GetString(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var level = reader.GetInt64(0) switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            return $"SQLite file {FilePath}, journal_mode={journal}, synchronous={level}";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
