using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// W1: a workflow of ten steps that do nothing, kept <c>inFlight</c> runs at a time in a closed loop, on
/// the engine with its default options (<see cref="BenchSettings.Workers"/> workers) on one store (a SQLite file at one
/// synchronous level, or PostgreSQL). W4 measures the same workload on two nodes sharing one PostgreSQL database.
/// </summary>
public sealed class EngineThroughput(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "W1 engine: 10 no-op steps";

    private const string Workflow = "noop-10";
    private const int Steps = 10;
    private static readonly string[] StepNames = [.. Enumerable.Range(1, Steps).Select(i => $"step-{i}")];

    /// <summary>Measures one setting.</summary>
    public Task<BenchResult> RunAsync(BenchStore store, int inFlight) =>
        MeasureAsync(Name, $"{inFlight} in flight, {store.Setting}", store, inFlight, nodes: 1, $"{BenchSettings.Workers} workers (default)");

    /// <summary>
    /// Measures the workload on <paramref name="nodes"/> engine nodes sharing <paramref name="store"/> (more than one on
    /// PostgreSQL only), the runs triggered on each node in turn, and returns it as the line <paramref name="scenario"/>,
    /// <paramref name="setting"/>, whose note starts with <paramref name="about"/>. Commits are counted on every node.
    /// <paramref name="prepare"/> readies the store's folder before the engine starts on it (R1 seeds it),
    /// <paramref name="configure"/> sets the engine's options (R1's retention), and <paramref name="describe"/> adds to
    /// the note what it reads in the folder at the end of the measurement.
    /// </summary>
    public async Task<BenchResult> MeasureAsync(
        string scenario, string setting, BenchStore store, int inFlight, int nodes, string about,
        Func<TempFolder, Task>? prepare = null, Action<FlowDashboardOptions>? configure = null, Func<TempFolder, string>? describe = null)
    {
        using var folder = new TempFolder("w1");
        if (prepare is not null) await prepare(folder);
        var tracker = new RunTracker(Steps);
        await using var engine = await EngineHarness.StartAsync(folder, store, Register(tracker), tracker, configure, nodes: nodes);

        Task RunOne(string prefix, int n)
        {
            var id = $"{prefix}-{n:D7}";
            var final = tracker.Triggering(id);
            var client = engine.ClientOf(n % engine.Nodes);
            return Task.WhenAll(client.TriggerAsync(Workflow, new NoopInput(n), new TriggerOptions { RunId = id }), final);
        }

        await ClosedLoop.RunAsync(Math.Min(inFlight, 10), settings.WarmUp, n => RunOne("warm-up", n));
        tracker.Clear();
        var commitsBefore = engine.Commits.Commits;
        var cpu = new CpuClock();
        await ClosedLoop.RunAsync(inFlight, settings.Duration, n => RunOne("run", n));
        var commits = engine.Commits.Commits - commitsBefore;
        var (cpuMs, cpuCores, machineCores) = (cpu.ElapsedCpuMs, cpu.Cores, cpu.MachineCores);
        var stats = ThroughputStats.From(tracker);
        var described = describe is null ? "" : $"; {describe(folder)}";
        var counts = await engine.CountByStatusAsync();
        // A prepared store holds runs of its own in every state: then only the runs this measurement started count.
        var checkedRuns = engine.NotCompleted > 0 || (prepare is null && counts.Count != 1)
            ? $"NOT ALL COMPLETED: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}"
            : prepare is null
                ? $"all {counts.GetValueOrDefault("Completed"):N0} runs in the store Completed (warm-up included)"
                : $"all {stats.Runs:N0} runs it started Completed";

        return new BenchResult(scenario, setting)
        {
            Runs = stats.Runs,
            Steps = stats.Steps,
            Seconds = stats.Seconds,
            RunsPerSecond = stats.RunsPerSecond,
            StepsPerSecond = stats.StepsPerSecond,
            CpuMsPerStep = cpuMs / stats.Steps,
            CpuCores = cpuCores,
            MsPerStepP50 = Percentiles.Of(stats.StepGapsMs, 50),
            MsPerStepP95 = Percentiles.Of(stats.StepGapsMs, 95),
            CommitsPerStep = (double)commits / stats.Steps,
            LimitSetting = store.Setting,
            Latency = "trigger to first step",
            LatencyP50Ms = Percentiles.Of(stats.FirstStepMs, 50),
            LatencyP95Ms = Percentiles.Of(stats.FirstStepMs, 95),
            Note = $"{about}; {checkedRuns}{described}{(machineCores is { } busy ? $"; machine: {busy:0.00} of {Environment.ProcessorCount} cores busy" : "")}",
        };
    }

    /// <summary>Registers the workflow: ten steps that only tell <paramref name="tracker"/> they ran.</summary>
    public static Action<FlowDashboardBuilder> Register(RunTracker? tracker) => builder => builder.AddWorkflow<NoopInput>(Workflow, async ctx =>
    {
        for (var i = 0; i < Steps; i++)
        {
            var index = i;
            await ctx.RunAsync(StepNames[index], _ =>
            {
                tracker?.StepRan(ctx.RunId, index);
                return Task.CompletedTask;
            });
        }
    });

    /// <summary>The workflow's input.</summary>
    /// <param name="Number">The run's number in the loop.</param>
    public sealed record NoopInput(int Number);
}
