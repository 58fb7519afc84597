using System.Collections.Concurrent;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>Steps under Task.WhenAll and Task.WhenAny: they run side by side and replay in the order they first completed.</summary>
public sealed class ParallelStepsTests
{
    [Fact]
    public async Task WhenAll_ThreeSteps_RunSideBySideAndEachRunsOnce()
    {
        // Each step waits until all three have started: executed one after another they could never finish.
        var started = new CountdownEvent(3);
        var executions = new ConcurrentDictionary<string, int>();
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, int>("fan-out", async ctx =>
        {
            var parts = await Task.WhenAll(
                ctx.RunAsync("a", ct => Part("a", 1, ct)),
                ctx.RunAsync("b", ct => Part("b", 2, ct)),
                ctx.RunAsync("c", ct => Part("c", 3, ct)));
            await ctx.SleepAsync("replay-me", TimeSpan.FromSeconds(1));
            return parts.Sum();
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("fan-out", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(6, run.Output!.Value.GetInt32());
        Assert.Equal(["a", "b", "c", "replay-me"], run.Steps.Select(s => s.Name));
        Assert.All(executions.Values, count => Assert.Equal(1, count));

        async Task<int> Part(string name, int value, CancellationToken ct)
        {
            executions.AddOrUpdate(name, 1, (_, n) => n + 1);
            started.Signal();
            await Task.Run(() => started.Wait(TimeSpan.FromSeconds(10), ct), ct);
            Assert.True(started.IsSet, "the three steps did not run at the same time");
            return value;
        }
    }

    [Fact]
    public async Task WhenAny_SlowLoserFinishesLater_ReplayTakesTheSameBranch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var winners = new ConcurrentQueue<string>();
        var slowRuns = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string>("race", async ctx =>
        {
            var first = await Task.WhenAny(
                ctx.RunAsync("slow", async ct =>
                {
                    Interlocked.Increment(ref slowRuns);
                    await release.Task.WaitAsync(ct);
                    return "slow";
                }),
                ctx.RunAsync("fast", _ => Task.FromResult("fast")));
            var winner = await first;
            winners.Enqueue(winner);

            // The slow step finishes while the body is past the race; the sleep then makes the next job replay it all.
            await ctx.RunAsync("let-slow-finish", _ =>
            {
                release.TrySetResult();
                return Task.CompletedTask;
            });
            await ctx.SleepAsync("replay-me", TimeSpan.FromSeconds(3));
            return winner;
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("race", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("fast", run.Output!.Value.GetString());

        // The replay saw both steps recorded as completed, and still took the branch the first execution took.
        Assert.Equal(["fast", "fast"], winners);
        Assert.Equal(1, slowRuns);
        Assert.Equal(StepStatus.Completed, run.Steps.Single(s => s.Name == "slow").Status);
    }

    [Fact]
    public async Task WhenAny_TimeoutSleepAgainstSlowStep_TheSleepWinsWhileTheStepStillRuns()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string>("deadline", async ctx =>
        {
            var work = ctx.RunAsync("work", async ct =>
            {
                await release.Task.WaitAsync(ct);
                return "done";
            });
            var timeout = ctx.SleepAsync("timeout", TimeSpan.FromMilliseconds(300));
            var first = await Task.WhenAny(work, timeout);
            var outcome = first == timeout ? "timed out" : await work;
            await ctx.RunAsync("unblock", _ =>
            {
                release.TrySetResult();
                return Task.CompletedTask;
            });
            return outcome;
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("deadline", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("timed out", run.Output!.Value.GetString());
    }

    [Fact]
    public async Task WhenAll_OneBranchRetries_OtherBranchIsNotRunAgain()
    {
        var flaky = 0;
        var steady = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("branches", async ctx =>
        {
            await Task.WhenAll(
                ctx.RunAsync("flaky", _ => Interlocked.Increment(ref flaky) < 3 ? throw new InvalidOperationException("not yet") : Task.FromResult(flaky)),
                ctx.RunAsync("steady", _ => Task.FromResult(Interlocked.Increment(ref steady))));
            await ctx.RunAsync("after", _ => Task.CompletedTask);
        }, o => o.Retry = new Authoring.RetryPolicy { Retries = 5, InitialDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("branches", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(3, run.Steps.Single(s => s.Name == "flaky").Attempts.Count);
        Assert.Equal(1, steady);
    }

    [Fact]
    public async Task Body_AwaitsATaskOfItsOwn_FailsSayingNothingCanResumeIt()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("stuck", async ctx =>
        {
            await ctx.RunAsync("first", _ => Task.CompletedTask);
            await new TaskCompletionSource().Task;
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("stuck", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("not a step", run.Error, StringComparison.Ordinal);
    }
}
