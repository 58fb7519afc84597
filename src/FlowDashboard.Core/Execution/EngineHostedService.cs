using FlowDashboard.Scheduling;
using FlowDashboard.Store;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Execution;

/// <summary>
/// Starts the engine in the one order that is safe: lock the store file, migrate it, free stale leases; once
/// the host has started, start the Hangfire server, register the schedules (starting their catch-up runs),
/// hand every unfinished run to it, then reconcile periodically.
/// </summary>
internal sealed class EngineHostedService(
    IServiceScopeFactory scopes,
    IDbContextFactory<FlowDbContext> contexts,
    JobStorage storage,
    Reconciler reconciler,
    ScheduleRegistrar schedules,
    CommitQueue writes,
    TimeProvider time,
    IOptions<FlowDashboardOptions> options,
    ILogger<EngineHostedService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private const string MigrationsAssembly = "FlowDashboard.Migrations.Sqlite";

    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private SqliteFileLock? fileLock;
    private BackgroundJobServer? server;
    private Task? reconcileLoop;
    private Task? stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var path = settings.SqliteFilePath()!;
        fileLock = SqliteFileLock.Acquire(path);
        await MigrateAsync(path, cancellationToken);
        await reconciler.ReleaseAllLeasesAsync(cancellationToken);

        // An empty group commit opens the writer's connection now, so the first run does not wait for it.
        await writes.WriteAsync(_ => Task.CompletedTask, cancellationToken);
    }

    /// <summary>
    /// Runs execute only once the whole host has started (a web host listens): a workflow may call the host's
    /// own endpoints, or use services that start after this one.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = settings.WorkerCount,
                SchedulePollingInterval = settings.SchedulePollingInterval,
                Activator = new ServiceProviderJobActivator(scopes),
                // Hangfire adds the process id and a GUID: the console shows "machine:pid".
                ServerName = Environment.MachineName,
            },
            storage);
        await schedules.RegisterAllAsync(cancellationToken);
        await reconciler.ReconcileAsync(overdueBy: null, cancellationToken);
        reconcileLoop = ReconcilePeriodicallyAsync(settings.ReconcileInterval);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops once, however often and from however many threads it is called: a host started by
    /// <c>app.Run()</c> and stopped by its owner too (as WebApplicationFactory does) calls it twice at once,
    /// and two concurrent <see cref="BackgroundJobServer.Dispose"/> calls wait forever on a disposed handle.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            stopped ??= StopOnceAsync();
        }

        return stopped;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        stopping.Dispose();
    }

    private async Task StopOnceAsync()
    {
        await stopping.CancelAsync();
        if (reconcileLoop is not null) await reconcileLoop;
        if (server is { } running)
        {
            // Waited for without blocking a thread-pool thread; Dispose then finds the server stopped.
            running.SendStop();
            await running.WaitForShutdownAsync(CancellationToken.None);
            running.Dispose();
        }

        fileLock?.Dispose();
    }

    private async Task MigrateAsync(string path, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            if (!db.Database.GetMigrations().Any()) throw new InvalidOperationException($"No migrations found in '{MigrationsAssembly}'.");
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"FlowDashboard's SQLite migrations are missing: reference the '{MigrationsAssembly}' project or package from the host.", ex);
        }

        await db.Database.MigrateAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; PRAGMA synchronous;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var journal = reader.GetString(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var synchronous = reader.GetInt64(0) switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        logger.LogInformation("FlowDashboard store: SQLite file {Path}, journal_mode={JournalMode}, synchronous={Synchronous}", path, journal, synchronous);
    }

    private async Task ReconcilePeriodicallyAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await reconciler.ReconcileAsync(overdueBy: interval, stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The reconciler's pass failed; it runs again in {Interval}", interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
