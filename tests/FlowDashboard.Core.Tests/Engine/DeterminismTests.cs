using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;

namespace FlowDashboard.Core.Tests.Engine;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Replay_RequestsAnotherStepThanRecorded_FailsNamingBoth()
    {
        var replayed = false;
        var ranB = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("drifting", async ctx =>
        {
            // A body whose steps depend on something other than step results: the first execution sees a, the replay b.
            if (!replayed)
            {
                replayed = true;
                await ctx.RunAsync("a", _ => Task.CompletedTask);
            }
            else
            {
                await ctx.RunAsync("b", _ => Task.FromResult(Interlocked.Increment(ref ranB)));
            }

            // Long enough to end the first execution even on a busy machine: the replay is what is tested.
            await ctx.SleepAsync("pause", TimeSpan.FromSeconds(3));
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("drifting", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("recorded as 'a' (Run)", run.Error, StringComparison.Ordinal);
        Assert.Contains("requests 'b' (Run)", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, ranB);
    }
}
