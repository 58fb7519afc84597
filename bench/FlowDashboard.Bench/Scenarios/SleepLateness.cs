using System.Collections.Concurrent;
using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// W2: runs that sleep one second between two steps. Lateness is the time from the sleep's recorded
/// wake-up time (<c>WakeAt</c>, set by the engine) to the moment the step after it starts running its code.
/// Runs start every 23 ms, so their wake-ups fall at every phase of the engine's polling.
/// </summary>
public sealed class SleepLateness(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "W2 engine: 1 s sleep, wake-up lateness";

    private const string Workflow = "nap";
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(23);

    /// <summary>Measures with Hangfire's delayed jobs polled every <paramref name="polling"/>.</summary>
    public async Task<BenchResult> RunAsync(TimeSpan polling, bool isDefault)
    {
        using var folder = new TempFolder("w2");
        var tracker = new RunTracker(2);
        var woke = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var engine = await EngineHarness.StartAsync(folder, BenchStore.Sqlite(SqliteSynchronous.Full), builder => builder.AddWorkflow<NapInput>(Workflow, async ctx =>
        {
            await ctx.RunAsync("before", _ =>
            {
                tracker.StepRan(ctx.RunId, 0);
                return Task.CompletedTask;
            });
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(1));
            await ctx.RunAsync("after", _ =>
            {
                woke[ctx.RunId] = DateTimeOffset.UtcNow;
                tracker.StepRan(ctx.RunId, 1);
                return Task.CompletedTask;
            });
        }), tracker, o => o.SchedulePollingInterval = polling);

        var finals = new List<Task>();
        var triggers = new List<Task>();
        for (var n = 0; n < settings.SleepRuns; n++)
        {
            var id = $"nap-{n:D5}";
            finals.Add(tracker.Triggering(id));
            triggers.Add(engine.Client.TriggerAsync(Workflow, new NapInput(n), new TriggerOptions { RunId = id }));
            await Task.Delay(Spacing);
        }

        await Task.WhenAll(triggers);
        await Task.WhenAll(finals).WaitAsync(ClosedLoop.RunTimeout);
        var lateness = new List<double>();
        foreach (var (runId, at) in woke)
        {
            var run = await engine.Client.GetRunAsync(runId);
            var wakeAt = run?.Steps.Single(s => s.Kind == StepKind.Sleep).WakeAt ?? throw new InvalidOperationException($"Run {runId} has no sleep step.");
            lateness.Add((at - wakeAt).TotalMilliseconds);
        }

        var p95 = Percentiles.Of(lateness, 95);
        return new BenchResult(Name, $"{settings.SleepRuns} runs, WAL+FULL, delayed-job polling {polling.TotalSeconds:0.0} s{(isDefault ? " (default)" : string.Empty)}")
        {
            Runs = lateness.Count,
            Latency = "wake-up lateness",
            LatencyP50Ms = Percentiles.Of(lateness, 50),
            LatencyP95Ms = p95,
            Note = $"max {lateness.Max():0} ms; min {lateness.Min():0} ms",
        };
    }

    /// <summary>The workflow's input.</summary>
    /// <param name="Number">The run's number.</param>
    public sealed record NapInput(int Number);
}
