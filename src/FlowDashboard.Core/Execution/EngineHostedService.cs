using FlowDashboard.Operations;
using FlowDashboard.Queries;
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
/// Starts the engine in the one order that is safe: prepare the store (a single-process store's lock file), migrate
/// it, free stale leases where one process owns the store; once
/// the host has started, start the Hangfire server, register the schedules (starting their catch-up runs),
/// hand every unfinished run whose job is missing to it, take over unfinished bulk operations, then reconcile
/// periodically. No start-up step waits without a bound or in
/// silence: one still going after 10 s is logged with what it waits for, and one that outlasts
/// <see cref="FlowDashboardOptions.StartupTimeout"/> fails the start, saying which.
/// </summary>
internal sealed class EngineHostedService(
    IServiceScopeFactory scopes,
    IDbContextFactory<FlowDbContext> contexts,
    IStoreProvider store,
    JobStorage storage,
    Reconciler reconciler,
    RetentionPurger retention,
    BulkOperationRunner bulk,
    ScheduleRegistrar schedules,
    CommitQueue writes,
    JobDispatcher jobs,
    RunChangeFeed changes,
    TimeProvider time,
    IOptions<FlowDashboardOptions> options,
    ILogger<EngineHostedService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>
    /// How long a Hangfire server may go without a heartbeat before it counts as gone: Hangfire's watchdog then drops
    /// it from the list of servers, and the health check calls this node's server dead.
    /// </summary>
    internal static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan StillGoingEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BulkHandOver = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private IDisposable? claim;
    private IRunChangeRelay? relay;
    private BackgroundJobServer? server;
    private Task? reconcileLoop;
    private Task? retentionLoop;
    private Task? stopped;
    private volatile string? serverIdPrefix;

    /// <summary>
    /// How the ids of this node's Hangfire server begin (<c>machine:pid:</c>, in lower case, as Hangfire makes them),
    /// once start-up has finished; null before. Hangfire tells no server its own id, and gives a server it restarts a
    /// new one: the health check finds this node's server among those its storage lists by this.
    /// </summary>
    internal string? ServerIdPrefix => serverIdPrefix;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StepAsync("preparing the store", PrepareAsync, cancellationToken);
        await StepAsync("migrating the store", MigrateAsync, cancellationToken);

        // The store is this process's alone: whatever lease it holds is left by a process that is gone.
        if (store.IsSingleProcess) await StepAsync("freeing the leases of the previous process", reconciler.ReleaseAllLeasesAsync, cancellationToken);

        // Where nodes share the store, each hears the others' changes (a console on any node shows every node's work).
        relay = store.StartChangeRelay(changes, logger);
        changes.Relay(relay);
        if (relay is not null) await StepAsync("listening for the other nodes' changes", ct => relay.Listening.WaitAsync(ct), cancellationToken);

        // An empty group commit opens the writer's connection now, so the first run does not wait for it.
        await StepAsync("opening the store's writer", ct => writes.WriteAsync(_ => Task.CompletedTask, ct), cancellationToken);
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
                FilterProvider = EngineJobFilters.Provider,
                // Hangfire adds the process id and a GUID: the console shows "machine:pid".
                ServerName = Environment.MachineName,

                // A node that stopped beating (killed, cut off) leaves the console's list of nodes within a minute.
                HeartbeatInterval = TimeSpan.FromSeconds(10),
                ServerCheckInterval = TimeSpan.FromSeconds(10),
                ServerTimeout = EngineHostedService.ServerTimeout,
            },
            storage);
        await StepAsync("registering the schedules", schedules.RegisterAllAsync, cancellationToken);
        // A single-process store's queue starts empty: every unfinished run needs a job. A shared store's queue is
        // durable and other nodes may be executing: only runs whose job was lost get one.
        var overdueBy = store.IsSingleProcess ? (TimeSpan?)null : settings.ReconcileInterval;
        await StepAsync("handing unfinished runs to Hangfire", ct => reconciler.ReconcileAsync(overdueBy, ct), cancellationToken);

        // A bulk operation left unfinished goes on: every one, where one process owns the store; otherwise those no node holds.
        await StepAsync("taking over unfinished bulk operations", ct => bulk.AdoptAsync(all: store.IsSingleProcess, ct), cancellationToken);
        reconcileLoop = ReconcilePeriodicallyAsync(settings.ReconcileInterval);
        if (settings.Retention.Enabled) retentionLoop = PurgePeriodicallyAsync(settings.Retention.Interval);
        serverIdPrefix = $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}:";
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
        if (retentionLoop is not null) await retentionLoop;

        // Bulk operations stopped with the application; each records where it stands through the writer, still open here.
        try
        {
            await bulk.StoppedAsync().WaitAsync(BulkHandOver);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Bulk operations did not hand themselves over within {Timeout}; another node takes them on once their hold passes", BulkHandOver);
        }

        if (server is { } running)
        {
            // Waited for without blocking a thread-pool thread; Dispose then finds the server stopped. The runs executing
            // in process (wake-ups held until due) stop alongside Hangfire's jobs.
            running.SendStop();
            await Task.WhenAll(running.WaitForShutdownAsync(CancellationToken.None), jobs.StopInProcessAsync());
            running.Dispose();
        }

        changes.Relay(null);
        if (relay is not null) await relay.DisposeAsync();
        claim?.Dispose();
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        claim = await store.PrepareAsync(db, logger, cancellationToken);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            if (!db.Database.GetMigrations().Any()) throw new InvalidOperationException($"No migrations found in '{store.MigrationsAssembly}'.");
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"FlowDashboard's migrations are missing: reference the '{store.MigrationsAssembly}' project or package from the host.", ex);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0) logger.LogInformation("FlowDashboard applies {Count} migration(s): {Migrations}", pending.Count, pending);
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("FlowDashboard store: {Store}", await store.DescribeAsync(db, cancellationToken));
    }

    /// <summary>
    /// Runs one start-up step: logged when it is still going every 10 s, and given up (failing the start with a
    /// message that names it) after <see cref="FlowDashboardOptions.StartupTimeout"/>. Wall-clock time: a bound on
    /// start-up is about the machine, not the engine's clock.
    /// </summary>
    private async Task StepAsync(string what, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        var timeout = options.Value.StartupTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = System.Diagnostics.Stopwatch.StartNew();

        // On the thread pool: SQLite's "async" calls block while they wait for a lock, and this must watch the clock meanwhile.
        var work = Task.Run(() => step(bounded.Token), CancellationToken.None);
        while (!work.IsCompleted)
        {
            var left = timeout - started.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                await bounded.CancelAsync();
                throw new TimeoutException(
                    $"FlowDashboard gave up starting: {what} took longer than {timeout} (FlowDashboard:StartupTimeout). " +
                    "Another program may hold the store's file or database locked.");
            }

            if (await Task.WhenAny(work, Task.Delay(left < StillGoingEvery ? left : StillGoingEvery, cancellationToken)) == work) break;
            cancellationToken.ThrowIfCancellationRequested();
            if (started.Elapsed < timeout)
            {
                logger.LogWarning("FlowDashboard start-up is still {What} after {Elapsed:0} s (it gives up after {Timeout})", what, started.Elapsed.TotalSeconds, timeout);
            }
        }

        await work;
    }

    private async Task PurgePeriodicallyAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await retention.PurgeAsync(stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The retention purge failed; it runs again in {Interval}", interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
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
                    await bulk.AdoptAsync(all: false, stopping.Token);
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
