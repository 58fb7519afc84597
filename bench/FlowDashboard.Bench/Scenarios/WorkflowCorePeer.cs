using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// Peer: Workflow Core with its default in-memory persistence (not durable: a crash loses every workflow),
/// a workflow of ten steps that do nothing, <c>inFlight</c> instances at a time in a closed loop, as
/// many concurrent workflows as the engine has workers; an instance is done when Workflow Core publishes its <c>WorkflowCompleted</c> event.
/// </summary>
public sealed class WorkflowCorePeer(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "Peer: Workflow Core 3.22, 10 no-op steps";

    private const int Steps = 10;

    /// <summary>Measures <paramref name="inFlight"/> instances at a time.</summary>
    public async Task<BenchResult> RunAsync(int inFlight)
    {
        var tracker = new RunTracker(Steps);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow(o => o.UseMaxConcurrentWorkflows(BenchSettings.Workers));
        services.AddSingleton(tracker);
        services.AddTransient<NoopStep>();
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<NoopWorkflow, NoopData>();
        host.OnLifeCycleEvent += evt =>
        {
            if (evt is WorkflowCompleted completed) tracker.Finished(completed.Reference);
        };
        await host.StartAsync(CancellationToken.None);
        try
        {
            Task RunOne(string prefix, int n)
            {
                var id = $"{prefix}-{n:D7}";
                var final = tracker.Triggering(id);
                return Task.WhenAll(host.StartWorkflow(NoopWorkflow.Name, 1, new NoopData(), id), final);
            }

            await ClosedLoop.RunAsync(Math.Min(inFlight, 10), settings.WarmUp, n => RunOne("warm-up", n));
            tracker.Clear();
            var cpu = new CpuClock();
            await ClosedLoop.RunAsync(inFlight, settings.Duration, n => RunOne("run", n));
            var (cpuMs, cpuCores) = (cpu.ElapsedCpuMs, cpu.Cores);
            var stats = ThroughputStats.From(tracker);
            return new BenchResult(Name, $"{inFlight} in flight, in-memory persistence")
            {
                Durable = false,
                Runs = stats.Runs,
                Steps = stats.Steps,
                Seconds = stats.Seconds,
                RunsPerSecond = stats.RunsPerSecond,
                StepsPerSecond = stats.StepsPerSecond,
                CpuMsPerStep = cpuMs / stats.Steps,
                CpuCores = cpuCores,
                MsPerStepP50 = Percentiles.Of(stats.StepGapsMs, 50),
                MsPerStepP95 = Percentiles.Of(stats.StepGapsMs, 95),
                LimitSetting = "WAL+FULL",
                Latency = "trigger to first step",
                LatencyP50Ms = Percentiles.Of(stats.FirstStepMs, 50),
                LatencyP95Ms = Percentiles.Of(stats.FirstStepMs, 95),
                Note = $"{BenchSettings.Workers} concurrent workflows; NOT DURABLE: in-memory persistence loses everything on a crash; × limit against WAL+FULL",
            };
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The workflow's data (none).</summary>
    public sealed class NoopData;

    /// <summary>Ten no-op steps in a row.</summary>
    public sealed class NoopWorkflow : IWorkflow<NoopData>
    {
        /// <summary>The workflow's id.</summary>
        public const string Name = "noop-10";

        /// <inheritdoc />
        public string Id => Name;

        /// <inheritdoc />
        public int Version => 1;

        /// <inheritdoc />
        public void Build(IWorkflowBuilder<NoopData> builder)
        {
            var step = builder.StartWith<NoopStep>();
            for (var i = 1; i < Steps; i++) step = step.Then<NoopStep>();
        }
    }

    /// <summary>Records that it ran; the workflow's reference is the bench's run id, the step's id its index.</summary>
    public sealed class NoopStep(RunTracker tracker) : StepBody
    {
        /// <inheritdoc />
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            tracker.StepRan(context.Workflow.Reference, context.Step.Id);
            return ExecutionResult.Next();
        }
    }
}
