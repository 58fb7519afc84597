using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// The <c>flowdashboard</c> health check, asked of a real engine the way <c>/health</c> asks it (ASP.NET Core's
/// <see cref="HealthCheckService"/>): Healthy when the node works, Degraded when runs wait too long for a worker,
/// Unhealthy when the store or this node's Hangfire server is not there, or the engine has not started yet.
/// </summary>
public sealed class HealthCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 34, 56, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealthAsync_StartedEngine_HealthyWithNoBacklog()
    {
        await using var host = await StartAsync();

        var entry = await WaitForAsync(host.Services, HealthStatus.Healthy);

        Assert.Equal("Store migrated, Hangfire server alive, no run due.", entry.Description);
        Assert.Equal(0, (int)entry.Data["backlog"]);
        Assert.StartsWith($"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}:", (string)entry.Data["server"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_RunDueLongerThanHealthBacklogWait_DegradedWithCountAndWait()
    {
        // The engine's clock stands still, so its reconciler never passes: runs recorded without a job stay due, as
        // runs do while every worker is busy.
        await using var host = await StartAsync(new FakeTimeProvider(Now));
        await WaitForAsync(host.Services, HealthStatus.Healthy);

        await RecordDueRunAsync(host, "recent", Now.AddMinutes(-1));
        var recent = await CheckAsync(host.Services);
        await RecordDueRunAsync(host, "late", Now.AddMinutes(-10));
        var late = await CheckAsync(host.Services);

        Assert.Equal((HealthStatus.Healthy, "Store migrated, Hangfire server alive, 1 run due (oldest waiting 1 min)."), (recent.Status, recent.Description));
        Assert.Equal(HealthStatus.Degraded, late.Status);
        Assert.Equal(2, (int)late.Data["backlog"]);
        Assert.Equal(Now.AddMinutes(-10), (DateTimeOffset)late.Data["oldestDueAt"]);
        Assert.Contains("2 runs due", late.Description, StringComparison.Ordinal);
        Assert.Contains("the oldest waiting 10 min", late.Description, StringComparison.Ordinal);
        Assert.Contains("FlowDashboard:HealthBacklogWait (5 min)", late.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_MigrationMissingFromTheStore_UnhealthyNamingIt()
    {
        await using var host = await StartAsync();
        await WaitForAsync(host.Services, HealthStatus.Healthy);
        var forgotten = "";

        // The store no longer records one of the build's migrations as applied, as when a newer build meets a store nobody migrated.
        await host.WithStoreAsync(async db =>
        {
            forgotten = db.Database.GetMigrations().Last();
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = {forgotten}""", Ct);
        });
        var entry = await CheckAsync(host.Services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal($"The store is not migrated: 1 migration(s) pending ({forgotten}).", entry.Description);
    }

    [Fact]
    public async Task CheckHealthAsync_StoreOutOfReach_UnhealthySayingSo()
    {
        // A SQLite file in a folder that is not there; a PostgreSQL server that does not listen (port 1 refuses at once).
        var missing = Path.Combine(Path.GetTempPath(), "flowdashboard-health-" + Guid.NewGuid().ToString("N"), "flows.db");
        using var host = Build(o =>
        {
            if (TestStore.IsPostgreSql) o.UsePostgreSql("Host=127.0.0.1;Port=1;Database=flows;Username=flows;Timeout=5");
            else o.UseSqlite($"Data Source={missing}");
        });

        var entry = await CheckAsync(host.Services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("The store cannot be reached", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_BeforeStartUp_UnhealthyStarting()
    {
        // A migrated store, and a second host on it that has not started.
        await using var running = await StartAsync();
        using var host = Build(o => TestStore.Use(o, running.Folder));

        var entry = await CheckAsync(host.Services);

        Assert.Equal((HealthStatus.Unhealthy, "FlowDashboard is starting: runs execute once its start-up has finished."), (entry.Status, entry.Description));
    }

    [Fact]
    public async Task CheckHealthAsync_EngineStopped_UnhealthySayingItsHangfireServerIsNotRunning()
    {
        await using var host = await StartAsync();
        await WaitForAsync(host.Services, HealthStatus.Healthy);

        await host.Services.GetServices<IHostedService>().OfType<EngineHostedService>().Single().StopAsync(Ct);
        var entry = await WaitForAsync(host.Services, HealthStatus.Unhealthy);

        Assert.Equal("This node's Hangfire server is not running: Hangfire's storage lists no server of this process.", entry.Description);
    }

    private static Task<EngineHost> StartAsync(FakeTimeProvider? time = null) =>
        EngineHost.StartAsync(flows => flows.AddWorkflow<int>("parked", ctx => ctx.RunAsync("one", _ => Task.FromResult(ctx.Input))), time);

    /// <summary>A host with the engine on the store <paramref name="store"/> chooses, built but not started.</summary>
    private static IHost Build(Action<FlowDashboardOptions> store)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFlowDashboardEngine(store);
        return builder.Build();
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Entries["flowdashboard"];

    /// <summary>
    /// Asks until the check says <paramref name="status"/>: Hangfire's server puts itself on its storage's list of
    /// servers, and takes itself off, on a thread of its own.
    /// </summary>
    private static async Task<HealthReportEntry> WaitForAsync(IServiceProvider services, HealthStatus status)
    {
        var seen = await Poll.UntilAsync<(HealthStatus Status, string? Description, HealthReportEntry Entry)>(
            async () =>
            {
                var entry = await CheckAsync(services);
                return (entry.Status, entry.Description, entry);
            },
            s => s.Status == status,
            $"the health check to say {status}");
        return seen.Entry;
    }

    /// <summary>Records a pending run due at <paramref name="dueAt"/> that has no job, so no worker takes it.</summary>
    private static Task RecordDueRunAsync(EngineHost host, string id, DateTimeOffset dueAt) =>
        host.WithStoreAsync(async db =>
        {
            var at = dueAt.UtcDateTime;
            db.Runs.Add(new RunEntity { Id = id, Workflow = "parked", Status = RunStatus.Pending, Source = "code", Input = "0", CreatedAt = at, UpdatedAt = at, DueAt = at });
            await db.SaveChangesAsync(Ct);
        });
}
