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
/// transactions). No configuration file is read: only what the bench sets applies.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly IHost host;
    private readonly RunWaiter? waiter;
    private readonly BenchStore store;
    private readonly TempFolder folder;

    private EngineHarness(IHost host, BenchStore store, TempFolder folder, CommitCounter commits, RunWaiter? waiter)
    {
        this.host = host;
        this.store = store;
        this.folder = folder;
        Commits = commits;
        this.waiter = waiter;
    }

    /// <summary>The commits of the engine's connections.</summary>
    public CommitCounter Commits { get; }

    /// <summary>The engine's services.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>The client that triggers runs.</summary>
    public IWorkflowClient Client => host.Services.GetRequiredService<IWorkflowClient>();

    /// <summary>How many tracked runs ended other than completed.</summary>
    public int NotCompleted => waiter?.NotCompleted ?? 0;

    /// <summary>
    /// Starts the engine on <paramref name="store"/> (for SQLite, <c>flows.db</c> in <paramref name="folder"/>); with a
    /// <paramref name="tracker"/>, its runs are marked finished as soon as the store says they are final.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine's connections do not run with the synchronous level asked for.</exception>
    public static async Task<EngineHarness> StartAsync(
        TempFolder folder,
        BenchStore store,
        Action<FlowDashboardBuilder> workflows,
        RunTracker? tracker = null,
        Action<FlowDashboardOptions>? configure = null,
        bool start = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        workflows(builder.Services.AddFlowDashboardEngine(o =>
        {
            store.Use(o, folder);
            configure?.Invoke(o);
        }));
        var commits = new CommitCounter();
        var interceptor = new CommitCountingInterceptor(commits, countTransactions: store.IsPostgreSql);
        builder.Services.ConfigureDbContext<FlowDbContext>((_, db) => db.AddInterceptors(interceptor), ServiceLifetime.Singleton);
        var host = builder.Build();
        if (!start) return new EngineHarness(host, store, folder, commits, null);

        await host.StartAsync();
        var expected = store.Synchronous == SqliteSynchronous.Full ? 2 : 1;
        if (!store.IsPostgreSql && interceptor.ObservedSynchronous != expected)
        {
            await host.StopAsync();
            host.Dispose();
            throw new InvalidOperationException($"The engine's connection runs with synchronous={interceptor.ObservedSynchronous}, not {expected}.");
        }

        var waiter = tracker is null ? null : new RunWaiter(host.Services.GetRequiredService<RunChangeFeed>(), store.Connect(folder), tracker);
        return new EngineHarness(host, store, folder, commits, waiter);
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
        await host.StopAsync();
        host.Dispose();
        SqliteConnection.ClearAllPools();
        await store.DropAsync(folder);
    }
}
