using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Tests;

/// <summary>
/// A kill can land anywhere, start-up included: the real host, killed with SIGKILL while it starts (while it
/// migrates its store, or takes EF Core's migration lock), starts again on the same files and serves.
/// </summary>
public sealed class StartupCrashTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-startup-crash-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Host_KilledWhileHoldingTheMigrationLockThenAtRandomMoments_StartsAgainAndServes()
    {
        var settings = HostProcess.SettingsFor(folder, TimeSpan.FromSeconds(1));

        // First while it migrates the new store: the moment EF Core's lock row is there, kill.
        await using (var migrating = HostProcess.Spawn(settings))
        {
            var deadline = DateTime.UtcNow + StartTimeout;
            while (await LockRowsAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The host never took the migration lock:\n{migrating.Output}");
                await Task.Delay(2, Ct);
            }

            await migrating.KillAsync();
        }

        Assert.Equal(1, await LockRowsAsync());

        // Then anywhere in the start-ups that follow.
        var random = new Random(20261204);
        var kills = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            kills.Add(random.Next(200, 2500));
            await using var starting = HostProcess.Spawn(settings);
            await Task.Delay(kills[^1], Ct);
            await starting.KillAsync();
        }

        await using var host = await HostProcess.StartAsync(settings, StartTimeout);
        using var http = new HttpClient { BaseAddress = host.Address };
        using var trigger = await http.PostAsJsonAsync(
            "/flows/api/workflows/order-fulfillment/runs?runId=after-kills", new { orderId = "after-kills", sku = "widget", quantity = 1 }, Ct);

        Assert.True(trigger.StatusCode == HttpStatusCode.Accepted, $"killed after {string.Join(", ", kills)} ms: {trigger.StatusCode}\n{host.Output}");
        await WaitForStatusAsync(http, "after-kills", "Completed", host);
    }

    [Fact]
    public async Task Host_StoreWithAStaleMigrationLockRow_ClearsItSaysSoAndServes()
    {
        var settings = HostProcess.SettingsFor(folder, TimeSpan.FromSeconds(1));
        await using (var first = await HostProcess.StartAsync(settings, StartTimeout))
        {
            await first.KillAsync();
        }

        // What a kill between EF Core's lock insert and its delete leaves in the store.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "flows.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-04 10:00:00+00:00')""";
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var host = await HostProcess.StartAsync(settings, StartTimeout);

        Assert.Contains("migration lock", host.Output, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/flows/api/runs", Ct)).StatusCode);
    }

    /// <summary>The rows of EF Core's migration lock; 0 while the store or the table is not there yet.</summary>
    private async Task<long> LockRowsAsync()
    {
        // Only once the host has put the store in WAL mode: a reader before that could stop it from switching.
        var database = Path.Combine(folder, "flows.db");
        if (!File.Exists(database + "-wal")) return 0;
        try
        {
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(Ct);
            await using var count = connection.CreateCommand();
            count.CommandText = """SELECT COUNT(*) FROM "__EFMigrationsLock" """;
            return (long)(await count.ExecuteScalarAsync(Ct))!;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static async Task WaitForStatusAsync(HttpClient http, string runId, string status, HostProcess host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", Ct);
            if (run.GetProperty("status").GetString() == status) return;
            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"{runId} did not become {status}: {run}\n{host.Output}");
    }
}
