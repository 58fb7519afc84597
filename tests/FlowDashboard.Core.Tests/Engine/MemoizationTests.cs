using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;

namespace FlowDashboard.Core.Tests.Engine;

public sealed class MemoizationTests
{
    [Fact]
    public async Task RunAsync_BodyReplayedAfterSleeps_EachStepRunsOnce()
    {
        var counts = new int[3];
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, string>("memo", async ctx =>
        {
            var a = await ctx.RunAsync("first", _ => Task.FromResult(Interlocked.Increment(ref counts[0])));
            await ctx.SleepAsync("pause-1", TimeSpan.FromMilliseconds(300));
            var b = await ctx.RunAsync("second", _ => Task.FromResult(Interlocked.Increment(ref counts[1])));
            await ctx.SleepAsync("pause-2", TimeSpan.FromMilliseconds(300));
            await ctx.RunAsync("third", _ => Task.FromResult(Interlocked.Increment(ref counts[2])));
            return $"{ctx.Input}:{a}{b}";
        }));

        var trigger = await host.Client.TriggerAsync("memo", "x", cancellationToken: TestContext.Current.CancellationToken);
        var run = await host.WaitForFinalAsync(trigger.RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([1, 1, 1], counts);
        Assert.Equal("x:11", run.Output?.GetString());
        Assert.Equal(["first", "pause-1", "second", "pause-2", "third"], run.Steps.Select(s => s.Name));
        Assert.Equal([StepKind.Run, StepKind.Sleep, StepKind.Run, StepKind.Sleep, StepKind.Run], run.Steps.Select(s => s.Kind));
        Assert.All(run.Steps.Where(s => s.Kind == StepKind.Run), s => Assert.Equal(AttemptStatus.Completed, Assert.Single(s.Attempts).Status));
    }

    [Fact]
    public async Task RunAsync_SameNameInLoop_GetsOccurrenceSuffixes()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("loop", async ctx =>
        {
            for (var i = 0; i < ctx.Input; i++) await ctx.RunAsync("item", _ => Task.FromResult(i));
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("loop", 3, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(["item", "item#2", "item#3"], run.Steps.Select(s => s.Name));
        Assert.Equal([0, 1, 2], run.Steps.Select(s => s.Output!.Value.GetInt32()));
    }
}
