using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlowDashboard.Bench.Harness;

/// <summary>
/// The real engine in a generic host on a store of its own (a SQLite file, or a PostgreSQL database), as a worker
/// service would run it, with its commits counted (SQLite's commit hook; on PostgreSQL, its DbContext's committed
/// transactions). No configuration file is read: only what the bench sets applies. On PostgreSQL it may run several
/// nodes on the one database, as several worker services would: each a host of its own (its own services, Hangfire
/// server and workers), all in this process.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly IHost[] hosts;
    private readonly RunWaiter? waiter;
    private readonly BenchStore store;
    private readonly TempFolder folder;

    private EngineHarness(IHost[] hosts, BenchStore store, TempFolder folder, CommitCounter commits, RunWaiter? waiter)
    {
        this.hosts = hosts;
        this.store = store;
        this.folder = folder;
        Commits = commits;
        this.waiter = waiter;
    }

    /// <summary>The commits of the engine's connections, on every node.</summary>
    public CommitCounter Commits { get; }

    /// <summary>How many nodes share the store (one on SQLite).</summary>
    public int Nodes => hosts.Length;

    /// <summary>The first node's services.</summary>
    public IServiceProvider Services => hosts[0].Services;

    /// <summary>The first node's client, which triggers runs.</summary>
    public IWorkflowClient Client => ClientOf(0);

    /// <summary>How many tracked runs ended other than completed.</summary>
    public int NotCompleted => waiter?.NotCompleted ?? 0;

    /// <summary>The client of node <paramref name="node"/> (0 is the first, which created the store).</summary>
    public IWorkflowClient ClientOf(int node) => hosts[node].Services.GetRequiredService<IWorkflowClient>();

    /// <summary>
    /// Starts the engine on <paramref name="store"/> (for SQLite, <c>flows.db</c> in <paramref name="folder"/>), as
    /// <paramref name="nodes"/> nodes on PostgreSQL; with a <paramref name="tracker"/>, its runs are marked finished as
    /// soon as the store says they are final, whichever node finished them.
    /// </summary>
    /// <exception cref="ArgumentException">More than one node on SQLite, whose store belongs to one process.</exception>
    /// <exception cref="InvalidOperationException">The engine's connections do not run with the synchronous level asked for.</exception>
    public static async Task<EngineHarness> StartAsync(
        TempFolder folder,
        BenchStore store,
        Action<FlowDashboardBuilder> workflows,
        RunTracker? tracker = null,
        Action<FlowDashboardOptions>? configure = null,
        bool start = true,
        int nodes = 1)
    {
        if (nodes > 1 && !store.IsPostgreSql) throw new ArgumentException("Nodes share a PostgreSQL store only: a SQLite store belongs to one process.", nameof(nodes));
        var commits = new CommitCounter();
        var interceptor = new CommitCountingInterceptor(commits, countTransactions: store.IsPostgreSql);
        var hosts = new IHost[nodes];
        for (var i = 0; i < nodes; i++)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            workflows(builder.Services.AddFlowDashboardEngine(o =>
            {
                store.Use(o, folder);
                configure?.Invoke(o);
            }));
            builder.Services.ConfigureDbContext<FlowDbContext>((_, db) => db.AddInterceptors(interceptor), ServiceLifetime.Singleton);
            hosts[i] = builder.Build();
        }

        if (!start) return new EngineHarness(hosts, store, folder, commits, null);

        // One after the other: the first node creates and migrates the database, the others find it ready (as a node
        // that joins a running system does). A node that fails to start stops those started before it.
        var started = 0;
        try
        {
            for (; started < nodes; started++) await hosts[started].StartAsync();
        }
        catch
        {
            await StopAsync(hosts, started);
            await store.DropAsync(folder);
            throw;
        }

        var expected = store.Synchronous == SqliteSynchronous.Full ? 2 : 1;
        if (!store.IsPostgreSql && interceptor.ObservedSynchronous != expected)
        {
            await StopAsync(hosts, started);
            throw new InvalidOperationException($"The engine's connection runs with synchronous={interceptor.ObservedSynchronous}, not {expected}.");
        }

        var waiter = tracker is null ? null : new RunWaiter([.. hosts.Select(h => h.Services.GetRequiredService<RunChangeFeed>())], store.Connect(folder), tracker);
        return new EngineHarness(hosts, store, folder, commits, waiter);
    }

    /// <summary>How many runs the store holds in each status, read directly.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync()
    {
        await using var connection = store.Connect(folder);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Status", COUNT(*) FROM runs GROUP BY "Status" """;
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (waiter is not null) await waiter.DisposeAsync();
        await StopAsync(hosts, hosts.Length);
        await store.DropAsync(folder);
    }

    /// <summary>
    /// Stops the first <paramref name="started"/> hosts, the last started first (the first node, which created the
    /// database, goes last), and disposes every host.
    /// </summary>
    private static async Task StopAsync(IHost[] hosts, int started)
    {
        for (var i = hosts.Length - 1; i >= 0; i--)
        {
            if (i < started) await hosts[i].StopAsync();
            hosts[i].Dispose();
        }

        SqliteConnection.ClearAllPools();
    }
}
