using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// Start-up never waits for ever, or in silence: a migration lock left by a process killed while migrating is
/// cleared (the store's lock file proves it stale), and a step that cannot finish fails the start with a message
/// naming it and the setting that bounds it.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-startup-" + Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(folder, "flows.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();

        // A test skipped on this store never made its folder.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Start_StaleMigrationLockRow_ClearsItWarnsAndServes()
    {
        Assert.SkipWhen(TestStore.IsPostgreSql, "SQLite's migration lock is a row; PostgreSQL's is a table lock that a killed session releases.");
        await using (var first = await StartAsync())
        {
        }

        // What a kill -9 between EF's lock insert and its delete leaves behind.
        await ExecuteAsync("""INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-01 00:00:00+00:00')""");

        var starting = StartAsync();
        await using var second = await starting.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var runId = (await second.Client.TriggerAsync("quick", 1, cancellationToken: TestContext.Current.CancellationToken)).RunId;

        Assert.Equal(RunStatus.Completed, (await second.WaitForFinalAsync(runId)).Status);
        Assert.Contains("migration lock", second.Logs.Tail(100), StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("""SELECT COUNT(*) FROM "__EFMigrationsLock" """));
    }

    [Fact]
    public async Task Start_StoreLockedByAnotherProgram_FailsWithinItsTimeoutNamingTheStep()
    {
        Assert.SkipWhen(TestStore.IsPostgreSql, "Holds the SQLite file's write lock.");
        await using (var first = await StartAsync())
        {
        }

        // Another program holds the database's write lock and never lets go.
        await using var holder = new SqliteConnection($"Data Source={Database};Pooling=False");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<TimeoutException>(() => StartAsync(TimeSpan.FromSeconds(2)));

        Assert.Contains("migrating the store", error.Message, StringComparison.Ordinal);
        Assert.Contains("FlowDashboard:StartupTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), $"gave up after {DateTime.UtcNow - started}");
    }

    private Task<EngineHost> StartAsync(TimeSpan? startupTimeout = null) => EngineHost.StartAsync(
        flows => flows.AddWorkflow<int>("quick", ctx => ctx.RunAsync("one", _ => Task.FromResult(ctx.Input))),
        configure: o => o.StartupTimeout = startupTimeout ?? o.StartupTimeout,
        folder: folder);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
