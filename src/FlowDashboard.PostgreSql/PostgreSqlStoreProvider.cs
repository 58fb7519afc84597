using System.Data.Common;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlowDashboard.PostgreSql;

/// <summary>
/// The store on PostgreSQL, with Hangfire's queue in the same database (schema <c>hangfire</c>): the queue survives a
/// restart, and several processes may share the store.
/// </summary>
/// <param name="connectionString">An Npgsql connection string naming the database (created at start-up if missing).</param>
internal sealed class PostgreSqlStoreProvider(string connectionString) : IStoreProvider
{
    private const string Migrations = "FlowDashboard.Migrations.PostgreSql";
    private const string HangfireSchema = "hangfire";

    public bool IsSingleProcess => false;

    // Each write of a batch runs in a savepoint, a subtransaction: PostgreSQL keeps 64 per backend in its cache and
    // spills beyond, which slows every visibility check in the database while the transaction lasts.
    public int MaxBatch => 48;

    // 40P01 deadlock_detected, 40001 serialization_failure (EF Core wraps what SaveChanges meets in a DbUpdateException).
    public bool IsTransient(Exception error) =>
        error switch
        {
            PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
            { InnerException: { } inner } => IsTransient(inner),
            _ => false,
        };

    public string MigrationsAssembly => Migrations;

    public string? Problem => string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Database)
        ? "FlowDashboard's PostgreSQL store needs a database: call o.UsePostgreSql(\"Host=...;Database=flows;Username=...\") with one named."
        : null;

    public void Configure(DbContextOptionsBuilder builder) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(Migrations));

    public JobStorage CreateJobStorage(IServiceProvider services)
    {
        // The schema is made at start-up (PrepareAsync), once the database is there: this storage connects lazily.
        // No long polling: it holds a LISTEN connection per waiting worker (a hundred by default). A job enqueued in
        // this process wakes a worker at once without it; the poll only finds jobs another process enqueued.
        // Hangfire's connections come from a pool of their own, kept small: a fetch holds one for a moment.
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            PrepareSchemaIfNecessary = false,
            UseSlidingInvisibilityTimeout = true,
            EnableLongPolling = false,
            QueuePollInterval = TimeSpan.FromSeconds(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(HangfireConnectionString(), options, null), options);
    }

    /// <summary>Hangfire's connections per node, unless the connection string sets a pool size.</summary>
    internal const int HangfirePoolSize = 20;

    /// <summary>The store's connection string, named for Hangfire, with a pool of <see cref="HangfirePoolSize"/> unless it sets one.</summary>
    internal string HangfireConnectionString()
    {
        var hangfire = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "FlowDashboard Hangfire" };

        // Npgsql's own builder answers true for every keyword it knows, given or not: only the text says what was given.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal));
        if (!given.Any(key => key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase) || key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase)))
        {
            hangfire.MaxPoolSize = HangfirePoolSize;
        }

        return hangfire.ToString();
    }

    public async Task<IAsyncDisposable> BeginSnapshotAsync(FlowDbContext db, CancellationToken cancellationToken) =>
        await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    public IRunChangeRelay? StartChangeRelay(RunChangeFeed feed, ILogger logger) => new PostgreSqlChangeRelay(connectionString, feed, logger);

    // The store's own tables only: the database may hold the application's tables too, and Hangfire's.
    public Task<long> SizeAsync(FlowDbContext db, CancellationToken cancellationToken)
    {
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToArray();
        return db.Database.SqlQuery<long>($"""
            SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS "Value"
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname = ANY({tables})
            """).SingleAsync(cancellationToken);
    }

    public IWriterCommands CreateWriterCommands(DbConnection connection) => new PostgreSqlWriterCommands((NpgsqlConnection)connection);

    public IQueryable<RunEntity> Search(FlowDbContext db, string text) => PostgreSqlRunSearch.Matching(db, text);

    public async Task<IDisposable?> PrepareAsync(FlowDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        // EF Core's migrator would create the database too, but Hangfire's schema goes in first.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            await creator.CreateAsync(cancellationToken);
            logger.LogInformation("FlowDashboard created the database {Database}", new NpgsqlConnectionStringBuilder(connectionString).Database);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
        return null;
    }

    public async Task<string> DescribeAsync(FlowDbContext db, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var version = await db.Database.SqlQueryRaw<string>("SELECT current_setting('server_version') AS \"Value\"").SingleAsync(cancellationToken);
        return $"PostgreSQL {version}, database {builder.Database} on {builder.Host}:{builder.Port}, Hangfire's queue in schema {HangfireSchema}";
    }
}
