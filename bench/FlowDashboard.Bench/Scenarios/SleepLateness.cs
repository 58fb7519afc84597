using System.Collections.Concurrent;
using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// W2: runs that sleep ten seconds between two steps. Lateness is the time from the sleep's recorded
/// wake-up time (<c>WakeAt</c>, set by the engine) to the moment the step after it starts running its code.
/// Runs start every 23 ms, so their wake-ups fall at every phase of the engine's polling. A sleep's wake-up goes to
/// Hangfire as a delayed job due three seconds early (the delayed-job poller, every
/// <see cref="FlowDashboardOptions.SchedulePollingInterval"/>, moves it to the queue; Hangfire scores it in whole
/// seconds); the worker that takes it finds the run not yet due, and the engine holds it in process for the rest of the
/// time, then executes the run there. Ten seconds, so the whole path is measured: a sleep under five seconds is only
/// held. With two nodes (both in this process) either node's poller moves a job and either node's worker takes it.
/// </summary>
public sealed class SleepLateness(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "W2 engine: 10 s sleep, wake-up lateness";

    private const string Workflow = "nap";
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(23);

    /// <summary>
    /// Measures on <paramref name="store"/> with Hangfire's delayed jobs polled every <paramref name="polling"/>, on
    /// <paramref name="nodes"/> nodes (more than one on PostgreSQL only), the runs triggered on each node in turn.
    /// </summary>
    public async Task<BenchResult> RunAsync(BenchStore store, TimeSpan polling, bool isDefault, int nodes = 1)
    {
        using var folder = new TempFolder("w2");
        var tracker = new RunTracker(2);
        var woke = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var engine = await EngineHarness.StartAsync(folder, store, builder => builder.AddWorkflow<NapInput>(Workflow, async ctx =>
        {
            await ctx.RunAsync("before", _ =>
            {
                tracker.StepRan(ctx.RunId, 0);
                return Task.CompletedTask;
            });
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(10));
            await ctx.RunAsync("after", _ =>
            {
                woke[ctx.RunId] = DateTimeOffset.UtcNow;
                tracker.StepRan(ctx.RunId, 1);
                return Task.CompletedTask;
            });
        }), tracker, o => o.SchedulePollingInterval = polling, nodes: nodes);

        var finals = new List<Task>();
        var triggers = new List<Task>();
        for (var n = 0; n < settings.SleepRuns; n++)
        {
            var id = $"nap-{n:D5}";
            finals.Add(tracker.Triggering(id));
            triggers.Add(engine.ClientOf(n % engine.Nodes).TriggerAsync(Workflow, new NapInput(n), new TriggerOptions { RunId = id }));
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
        var runsOn = nodes == 1 ? store.Setting : $"{store.Setting}, {nodes} nodes";
        var how = !store.IsPostgreSql ? string.Empty
            : nodes == 1 ? "; held in process once Hangfire hands the wake-up over, then executed there"
            : $"; {nodes} nodes in this one process, triggers alternating: any node's poller moves a due job, any node's worker takes it and holds the run";
        return new BenchResult(Name, $"{settings.SleepRuns} runs, {runsOn}, delayed-job polling {polling.TotalSeconds:0.0} s{(isDefault ? " (default)" : string.Empty)}")
        {
            Runs = lateness.Count,
            Latency = "wake-up lateness",
            LatencyP50Ms = Percentiles.Of(lateness, 50),
            LatencyP95Ms = p95,
            Note = $"max {lateness.Max():0} ms; min {lateness.Min():0} ms{how}",
        };
    }

    /// <summary>The workflow's input.</summary>
    /// <param name="Number">The run's number.</param>
    public sealed record NapInput(int Number);
}
