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
/// The real engine in a generic host on a SQLite file of its own, as a worker service would run it, with
/// SQLite's commit hook counting its commits. No configuration file is read: only what the bench sets applies.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly IHost host;
    private readonly RunWaiter? waiter;

    private EngineHarness(IHost host, string databasePath, CommitCounter commits, RunWaiter? waiter)
    {
        this.host = host;
        DatabasePath = databasePath;
        Commits = commits;
        this.waiter = waiter;
    }

    /// <summary>The store's file.</summary>
    public string DatabasePath { get; }

    /// <summary>The commits of the engine's connections.</summary>
    public CommitCounter Commits { get; }

    /// <summary>The engine's services.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>The client that triggers runs.</summary>
    public IWorkflowClient Client => host.Services.GetRequiredService<IWorkflowClient>();

    /// <summary>How many tracked runs ended other than completed.</summary>
    public int NotCompleted => waiter?.NotCompleted ?? 0;

    /// <summary>
    /// Starts the engine on <c>flows.db</c> in <paramref name="folder"/> with <paramref name="synchronous"/>; with a
    /// <paramref name="tracker"/>, its runs are marked finished as soon as the store says they are final.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine's connections do not run with the synchronous level asked for.</exception>
    public static async Task<EngineHarness> StartAsync(
        TempFolder folder,
        SqliteSynchronous synchronous,
        Action<FlowDashboardBuilder> workflows,
        RunTracker? tracker = null,
        Action<FlowDashboardOptions>? configure = null,
        bool start = true)
    {
        var path = folder.File("flows.db");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        workflows(builder.Services.AddFlowDashboardEngine(o =>
        {
            o.UseSqlite($"Data Source={path}", synchronous);
            configure?.Invoke(o);
        }));
        var commits = new CommitCounter();
        var interceptor = new CommitCountingInterceptor(commits);
        builder.Services.ConfigureDbContext<FlowDbContext>((_, db) => db.AddInterceptors(interceptor), ServiceLifetime.Singleton);
        var host = builder.Build();
        if (!start) return new EngineHarness(host, path, commits, null);

        await host.StartAsync();
        var expected = synchronous == SqliteSynchronous.Full ? 2 : 1;
        if (interceptor.ObservedSynchronous != expected)
        {
            await host.StopAsync();
            host.Dispose();
            throw new InvalidOperationException($"The engine's connection runs with synchronous={interceptor.ObservedSynchronous}, not {expected}.");
        }

        var waiter = tracker is null ? null : new RunWaiter(host.Services.GetRequiredService<RunChangeFeed>(), path, tracker);
        return new EngineHarness(host, path, commits, waiter);
    }

    /// <summary>How many runs the store holds in each status, read directly.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status, COUNT(*) FROM runs GROUP BY Status";
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
    }
}
