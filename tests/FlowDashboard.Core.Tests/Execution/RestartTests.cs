using System.Collections.Concurrent;
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
    public async Task Stop_NodeInTheMiddleOfAStep_AnotherNodeGoesOnWithTheRunWithoutTheReconciler()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Nodes share a PostgreSQL store; a SQLite store has one process.");
        var ct = TestContext.Current.CancellationToken;
        var ranOn = new ConcurrentDictionary<string, string>();

        // On node B the step works until its process stops; on node A it is done at once. No reconciler passes.
        Action<FlowDashboardBuilder> Work(string node) => flows => flows.AddWorkflow<int>("work", async ctx =>
        {
            await ctx.RunAsync("work", async stepToken =>
            {
                ranOn[ctx.RunId] = node;
                if (node == "b") await Task.Delay(Timeout.Infinite, stepToken);
            });
        });
        void NoReconciling(FlowDashboardOptions o) => o.ReconcileInterval = TimeSpan.FromHours(1);
        await using var a = await EngineHost.StartAsync(Work("a"), configure: NoReconciling);
        var b = await EngineHost.StartAsync(Work("b"), configure: NoReconciling, folder: a.Folder);
        var bStopped = false;
        try
        {
            // Either node may take a run: start runs until node B is in the middle of one (node A owns the database).
            string? runId = null;
            for (var i = 0; i < 20 && runId is null; i++)
            {
                var id = (await a.Client.TriggerAsync("work", 0, cancellationToken: ct)).RunId;
                await Poll.UntilAsync(() => Task.FromResult(ranOn.ContainsKey(id)), started => started, $"run {id} to start");
                if (ranOn[id] == "b") runId = id;
            }

            Assert.NotNull(runId);

            // Node B stops: its execution ends by Hangfire's shutdown token, so Hangfire puts the job back in the shared
            // queue, and node A takes it and goes on with the run.
            await b.DisposeAsync();
            bStopped = true;
            var run = await a.WaitForFinalAsync(runId, TimeSpan.FromSeconds(30));
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal("a", ranOn[runId]);
        }
        finally
        {
            if (!bStopped) await b.DisposeAsync();
        }
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
