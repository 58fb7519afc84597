using System.Data.Common;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Store;

/// <summary>
/// Everything that differs between the stores FlowDashboard runs on, and nothing else: how the DbContext talks to
/// the database, the hot path's write statements, text search, what start-up claims and clears, Hangfire's storage,
/// and whether one process owns the store. The engine, queries, operations and the console never name a provider;
/// one implementation per provider lives in its own assembly (FlowDashboard.Sqlite, ...), chosen by
/// <c>o.UseSqlite(...)</c> and the like.
/// </summary>
internal interface IStoreProvider
{
    /// <summary>Only one process may use the store at a time (it then frees every lease at start-up).</summary>
    bool IsSingleProcess { get; }

    /// <summary>How many writes one group commit carries at most.</summary>
    int MaxBatch { get; }

    /// <summary>
    /// Whether a write failed only because of another transaction at the same moment (a deadlock, a serialization
    /// failure): the database rolled it back, and the whole batch is applied again.
    /// </summary>
    bool IsTransient(Exception error);

    /// <summary>The assembly with this provider's EF Core migrations, named in the error when it is missing.</summary>
    string MigrationsAssembly { get; }

    /// <summary>Why the configuration cannot work (a SQLite store in memory, a connection string without a database), or null.</summary>
    string? Problem { get; }

    /// <summary>
    /// Opens a read-only transaction in which every query of <paramref name="db"/> sees one snapshot, so a read made of
    /// several queries (a run, then its steps, then their attempts) never mixes states of different commits. Disposing
    /// it ends the snapshot. (SQLite: a deferred transaction, which takes no write lock; PostgreSQL: repeatable read.)
    /// </summary>
    Task<IAsyncDisposable> BeginSnapshotAsync(FlowDbContext db, CancellationToken cancellationToken);

    /// <summary>How many bytes the store's tables take on disk, indexes included (SQLite: the whole file).</summary>
    Task<long> SizeAsync(FlowDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// Starts relaying run changes between the nodes sharing the store: <paramref name="feed"/> hears the other
    /// nodes' changes. Null where one process owns the store.
    /// </summary>
    IRunChangeRelay? StartChangeRelay(Queries.RunChangeFeed feed, ILogger logger);

    /// <summary>Points a DbContext at the store, with this provider's migrations and connection settings.</summary>
    void Configure(DbContextOptionsBuilder builder);

    /// <summary>The Hangfire storage the engine's jobs run on.</summary>
    JobStorage CreateJobStorage(IServiceProvider services);

    /// <summary>The hot path's statements, prepared on the writer's open connection.</summary>
    IWriterCommands CreateWriterCommands(DbConnection connection);

    /// <summary>The runs whose id or input contains <paramref name="text"/>, read from an index where the text is long enough for it.</summary>
    IQueryable<RunEntity> Search(FlowDbContext db, string text);

    /// <summary>
    /// Before migrating: claims the store for this process where only one may use it, clears what a process killed
    /// while starting left behind, and makes what the provider keeps beside EF Core's tables (the database itself,
    /// Hangfire's schema). Returns what to let go of when the engine stops.
    /// </summary>
    /// <exception cref="Exceptions.FlowDashboardException">Another process uses a single-process store.</exception>
    Task<IDisposable?> PrepareAsync(FlowDbContext db, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Where the store is and how it is set, for the start-up log (read from the database, not from the configuration).</summary>
    Task<string> DescribeAsync(FlowDbContext db, CancellationToken cancellationToken);
}
