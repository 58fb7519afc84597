using System.Data.Common;
using System.Globalization;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Execution;

/// <summary>
/// The <c>flowdashboard</c> health check: the store answers and is migrated, the engine has started, this node's Hangfire
/// server beats, and no due run has waited for a worker longer than <see cref="FlowDashboardOptions.HealthBacklogWait"/>.
/// Unhealthy when one of the first three fails (the node cannot do its work), Degraded for the last (it does, too slowly).
/// </summary>
internal sealed class FlowDashboardHealthCheck(
    IDbContextFactory<FlowDbContext> contexts,
    JobStorage storage,
    IEnumerable<IHostedService> hostedServices,
    TimeProvider time,
    IOptions<FlowDashboardOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        List<string> pending;
        try
        {
            // A server that does not answer throws the provider's exception here, which says why.
            pending = [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];

            // EF Core reads a database that is not there (a SQLite file gone) as one with every migration pending.
            // Asked only then: CanConnect swallows the exception that would say why, and costs a connection of its own.
            if (pending.Count > 0 && !await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The store cannot be reached: its database does not exist.", data: data);
            }
        }
        catch (DbException ex)
        {
            return HealthCheckResult.Unhealthy($"The store cannot be reached: {ex.Message}", ex, data);
        }

        // Before the pending migrations: while the engine starts, they are the ones it is applying.
        var engine = hostedServices.OfType<EngineHostedService>().Single();
        if (engine.ServerIdPrefix is not { } prefix)
        {
            return HealthCheckResult.Unhealthy("FlowDashboard is starting: runs execute once its start-up has finished.", data: data);
        }

        if (pending.Count > 0)
        {
            data["pendingMigrations"] = pending;
            return HealthCheckResult.Unhealthy(
                $"The store is not migrated: {pending.Count} migration(s) pending ({string.Join(", ", pending)}).", data: data);
        }

        var server = storage.GetMonitoringApi().Servers()
            .Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => (s.Name, Beat: DateTime.SpecifyKind(s.Heartbeat ?? s.StartedAt, DateTimeKind.Utc)))
            .OrderByDescending(s => s.Beat)
            .FirstOrDefault();
        if (server.Name is null)
        {
            return HealthCheckResult.Unhealthy("This node's Hangfire server is not running: Hangfire's storage lists no server of this process.", data: data);
        }

        data["server"] = server.Name;
        data["heartbeat"] = new DateTimeOffset(server.Beat);

        // Hangfire stamps a heartbeat with the machine's clock, not the engine's: a test's fake clock would call a live server dead.
        var silent = TimeProvider.System.GetUtcNow().UtcDateTime - server.Beat;
        if (silent > EngineHostedService.ServerTimeout)
        {
            return HealthCheckResult.Unhealthy(
                $"This node's Hangfire server has not beaten for {Describe(silent)}: Hangfire counts a server silent for {Describe(EngineHostedService.ServerTimeout)} as gone.",
                data: data);
        }

        var now = time.GetUtcNow();
        var (count, oldestDueAt) = await RunQueryService.BacklogAsync(db, now.UtcDateTime, cancellationToken);
        data["backlog"] = count;
        if (oldestDueAt is { } oldest) data["oldestDueAt"] = oldest;
        var waited = oldestDueAt is { } due ? now - due : TimeSpan.Zero;
        var runs = count >= RunQueryService.MaxCounted
            ? $"{count.ToString("N0", CultureInfo.InvariantCulture)} or more runs"
            : count == 1 ? "1 run" : $"{count} runs";
        var limit = options.Value.HealthBacklogWait;
        if (waited > limit)
        {
            return HealthCheckResult.Degraded(
                $"The backlog grows: {runs} due and not taken by a worker, the oldest waiting {Describe(waited)}, longer than FlowDashboard:HealthBacklogWait ({Describe(limit)}).",
                data: data);
        }

        return HealthCheckResult.Healthy(
            count == 0 ? "Store migrated, Hangfire server alive, no run due." : $"Store migrated, Hangfire server alive, {runs} due (oldest waiting {Describe(waited)}).",
            data);
    }

    /// <summary>A wait in the unit that reads best: "0.4 s", "7.5 min", "2 h".</summary>
    private static string Describe(TimeSpan wait)
    {
        var (amount, unit) = wait < TimeSpan.FromMinutes(1) ? (wait.TotalSeconds, "s")
            : wait < TimeSpan.FromHours(1) ? (wait.TotalMinutes, "min")
            : (wait.TotalHours, "h");
        return string.Create(CultureInfo.InvariantCulture, $"{amount:0.#} {unit}");
    }
}
