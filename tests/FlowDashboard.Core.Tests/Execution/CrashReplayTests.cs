using System.Collections.Concurrent;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>A run with parallel steps and a race, interrupted by its process stopping and finished by the next one on the same store.</summary>
public sealed class CrashReplayTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-crash-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, int> executions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> branches = new();
    private readonly TaskCompletionSource releaseC = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Restart_WhileSleepingAfterWhenAllAndWhenAny_NextProcessFinishesWithoutRepeatingStepsOrChangingTheBranch()
    {
        string runId;
        await using (var first = await StartAsync(process: 1))
        {
            runId = (await first.Client.TriggerAsync("fan", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
            await first.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping && r.Steps.Any(s => s.Name == "nap"));
        }

        Assert.Equal(["timeout"], branches);
        await using var second = await StartAsync(process: 2);
        var run = await second.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("timeout, finished by process 2", run.Output!.Value.GetString());

        // The replay in the second process took the branch the first took, though both contenders were recorded as completed by then.
        Assert.Equal(["timeout", "timeout"], branches);
        Assert.Equal(["a", "after", "b", "c", "let-c-finish"], executions.Keys.Order(StringComparer.Ordinal));
        Assert.All(executions, e => Assert.True(e.Value == 1, $"step {e.Key} ran {e.Value} times"));
        Assert.Equal(["a", "b", "c", "timeout", "let-c-finish", "nap", "after"], run.Steps.Select(s => s.Name));
        Assert.All(run.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.All(run.Steps.Where(s => s.Kind == StepKind.Run), s => Assert.Equal(AttemptStatus.Completed, Assert.Single(s.Attempts).Status));
    }

    private Task<EngineHost> StartAsync(int process) => EngineHost.StartAsync(
        flows => flows.AddWorkflow<int, string>("fan", async ctx =>
        {
            await Task.WhenAll(ctx.RunAsync("a", _ => Count("a")), ctx.RunAsync("b", _ => Count("b")));

            // The timeout wins; c finishes only after the body has gone past the race, so both are recorded as completed.
            var c = ctx.RunAsync("c", async ct =>
            {
                await Count("c");
                await releaseC.Task.WaitAsync(ct);
                return "c";
            });
            var timeout = ctx.SleepAsync("timeout", TimeSpan.FromMilliseconds(300));
            var branch = await Task.WhenAny(c, timeout) == timeout ? "timeout" : "c";
            branches.Enqueue(branch);
            await ctx.RunAsync("let-c-finish", async _ =>
            {
                await Count("let-c-finish");
                releaseC.TrySetResult();
            });

            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(5));
            var finishedBy = await ctx.RunAsync("after", async _ =>
            {
                await Count("after");
                return process;
            });
            return $"{branch}, finished by process {finishedBy}";
        }),
        folder: folder);

    private Task<int> Count(string step) => Task.FromResult(executions.AddOrUpdate(step, 1, (_, n) => n + 1));
}
