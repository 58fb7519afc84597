using FlowDashboard.Client;
using FlowDashboard.Store;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Infrastructure;

/// <summary>
/// A generic host running the real engine: a SQLite file in its own temp folder and the engine's own
/// Hangfire server. Each test registers its workflows; a second host can reopen the same folder.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly TestLogs logs;
    private readonly bool ownsFolder;

    private EngineHost(IHost host, TestLogs logs, string folder, bool ownsFolder)
    {
        this.host = host;
        this.logs = logs;
        Folder = folder;
        this.ownsFolder = ownsFolder;
    }

    public string Folder { get; }

    /// <summary>What the host logged so far.</summary>
    public TestLogs Logs => logs;

    public IServiceProvider Services => host.Services;

    public IWorkflowClient Client => host.Services.GetRequiredService<IWorkflowClient>();

    /// <summary>
    /// Starts a host on a new folder, or on <paramref name="folder"/> to reopen an existing store;
    /// <paramref name="services"/> adds what a test's host needs besides the engine (authorization policies).
    /// </summary>
    public static async Task<EngineHost> StartAsync(
        Action<FlowDashboardBuilder> workflows,
        FakeTimeProvider? time = null,
        Action<FlowDashboardOptions>? configure = null,
        string? folder = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), "flowdashboard-core-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder();
        var logs = new TestLogs();
        builder.Logging.ClearProviders().AddProvider(logs).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        if (time is not null) builder.Services.AddSingleton<TimeProvider>(time);
        workflows(builder.Services.AddFlowDashboardEngine(o =>
        {
            TestStore.Use(o, folder);
            o.SchedulePollingInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        }));
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            SqliteConnection.ClearAllPools();
            if (owns)
            {
                await TestStore.DropAsync(folder);
                Directory.Delete(folder, recursive: true);
            }

            throw;
        }

        return new EngineHost(host, logs, folder, owns);
    }

    /// <summary>Polls the run until <paramref name="condition"/> holds; fails with the last snapshot.</summary>
    public async Task<RunInfo> WaitForRunAsync(string runId, Func<RunInfo, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        RunInfo? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await Client.GetRunAsync(runId);
            if (run is not null && condition(run)) return run;
            await Task.Delay(25);
        }

        throw new TimeoutException($"Run {runId} did not reach the expected state; last seen: {Describe(run)}\nHost log:\n{logs.Tail(40)}");
    }

    public Task<RunInfo> WaitForFinalAsync(string runId, TimeSpan? timeout = null) =>
        WaitForRunAsync(runId, r => r.Status is States.RunStatus.Completed or States.RunStatus.Failed or States.RunStatus.Cancelled, timeout);

    /// <summary>Runs <paramref name="change"/> on the store directly, as a test's way to set up a situation.</summary>
    internal async Task WithStoreAsync(Func<FlowDbContext, Task> change)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<FlowDbContext>>().CreateDbContextAsync();
        await change(db);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();

        // Shown with a failed test (the console logger prints a failed test's output), so a failure in CI says what the engine did.
        TestContext.Current.TestOutputHelper?.WriteLine(logs.Tail(150));
        SqliteConnection.ClearAllPools();
        if (ownsFolder)
        {
            await TestStore.DropAsync(Folder);
            Directory.Delete(Folder, recursive: true);
        }
    }

    private static string Describe(RunInfo? run) =>
        run is null
            ? "(no run)"
            : $"{run.Status} {run.Error} [{string.Join(", ", run.Steps.Select(s => $"{s.Name}:{s.Status}x{s.Attempts.Count}"))}]";
}
