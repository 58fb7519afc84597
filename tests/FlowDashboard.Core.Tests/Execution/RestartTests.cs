using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;

namespace FlowDashboard.Core.Tests.Execution;

public sealed class RestartTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-restart-" + Guid.NewGuid().ToString("N"));
    private int before;
    private int after;

    public void Dispose()
    {
        // A test skipped on this store never made its folder.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Restart_WhileRunSleeps_NewProcessFinishesItWithoutRepeatingSteps()
    {
        string runId;
        await using (var first = await StartAsync())
        {
            runId = (await first.Client.TriggerAsync("durable", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
            await first.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);
        }

        await using var second = await StartAsync();
        var run = await second.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((1, 1), (before, after));
    }

    [Fact]
    public async Task Start_SecondHostOnTheSameFile_RefusesWithAClearMessage()
    {
        Assert.SkipWhen(TestStore.IsPostgreSql, "A SQLite store is one process's; a PostgreSQL store is shared by design.");
        await using var first = await StartAsync();

        var error = await Assert.ThrowsAsync<StoreInUseException>(StartAsync);

        Assert.Contains(Path.Combine(folder, "flows.db"), error.Message, StringComparison.Ordinal);
        Assert.Contains("one process", error.Message, StringComparison.Ordinal);
    }

    private Task<EngineHost> StartAsync() => EngineHost.StartAsync(
        flows => flows.AddWorkflow<int>("durable", async ctx =>
        {
            await ctx.RunAsync("before", _ => Task.FromResult(Interlocked.Increment(ref before)));
            await ctx.SleepAsync("sleep", TimeSpan.FromSeconds(3));
            await ctx.RunAsync("after", _ => Task.FromResult(Interlocked.Increment(ref after)));
        }),
        folder: folder);
}
