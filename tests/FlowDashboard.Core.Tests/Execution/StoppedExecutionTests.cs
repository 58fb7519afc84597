using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// An execution stopped by an error of its own (here a write the store refuses) loses nothing recorded, and its
/// run goes on in a moment instead of waiting for the reconciler.
/// </summary>
public sealed class StoppedExecutionTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-stopped-" + Guid.NewGuid().ToString("N"));
    private int first;
    private int second;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        // A test skipped on this store never made its folder.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Execute_AWriteFailsUnexpectedly_RunGoesOnFromItsRecordInAMoment()
    {
        Assert.SkipWhen(TestStore.IsPostgreSql, "The refusing trigger is written in SQLite's dialect.");
        // The store refuses to record the second step's start while `refusals` has a row, as a full disk or a
        // damaged file would. Set up before the engine opens the file: the test changes only rows while it runs.
        await (await StartAsync()).DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "flows.db")};Pooling=False"))
        {
            await connection.OpenAsync(Token);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE refusals (reason TEXT);
                INSERT INTO refusals VALUES ('the store refused the write');
                CREATE TRIGGER refuse_second BEFORE INSERT ON steps WHEN NEW.Name = 'second' AND EXISTS (SELECT 1 FROM refusals)
                BEGIN SELECT RAISE(ABORT, 'the store refused the write'); END;
                """;
            await command.ExecuteNonQueryAsync(Token);
        }

        await using var host = await StartAsync();
        var runId = (await host.Client.TriggerAsync("two-steps", 0, cancellationToken: Token)).RunId;
        await Poll.UntilAsync(
            () => Task.FromResult(host.Logs.ToString()),
            log => log.Contains($"An unexpected error stopped a step of run {runId}", StringComparison.Ordinal),
            "the refused write");

        await host.WithStoreAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM refusals", Token));
        var run = await host.WaitForFinalAsync(runId, TimeSpan.FromSeconds(15));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((1, 1), (first, second));
    }

    private Task<EngineHost> StartAsync() => EngineHost.StartAsync(
        flows => flows.AddWorkflow<int>("two-steps", async ctx =>
        {
            await ctx.RunAsync("first", _ => Task.FromResult(Interlocked.Increment(ref first)));
            await ctx.RunAsync("second", _ => Task.FromResult(Interlocked.Increment(ref second)));
        }),
        configure: o => o.ReconcileInterval = TimeSpan.FromMinutes(10),
        folder: folder);
}
