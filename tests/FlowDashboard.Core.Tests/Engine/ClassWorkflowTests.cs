using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Engine;

public sealed class ClassWorkflowTests
{
    [Fact]
    public async Task AddWorkflow_Class_ResolvedFromANewScopePerExecution()
    {
        var tracker = new ScopeTracker();
        await using var host = await EngineHost.StartAsync(flows =>
        {
            flows.Services.AddSingleton(tracker);
            flows.Services.AddScoped<Greeter>();
            flows.AddWorkflow<GreetingWorkflow>().AddWorkflow<NamedWorkflow>();
        });

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("greeting", "Ada", cancellationToken: TestContext.Current.CancellationToken)).RunId);
        var named = await host.WaitForFinalAsync((await host.Client.TriggerAsync("custom-name", 1, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("Hello, Ada", run.Output?.GetString());
        Assert.Equal(2, tracker.Instances);
        Assert.Equal(RunStatus.Completed, named.Status);
    }

    public sealed class ScopeTracker
    {
        private int instances;

        public int Instances => instances;

        public void Created() => Interlocked.Increment(ref instances);
    }

    public sealed class Greeter
    {
        private readonly string salutation;

        public Greeter(ScopeTracker tracker)
        {
            tracker.Created();
            salutation = "Hello";
        }

        public string Greet(string name) => $"{salutation}, {name}";
    }

    public sealed class GreetingWorkflow(Greeter greeter) : IWorkflow<string, string>
    {
        public async Task<string> RunAsync(IWorkflowContext<string> context)
        {
            var text = await context.RunAsync("greet", _ => Task.FromResult(greeter.Greet(context.Input)));
            await context.SleepAsync("pause", TimeSpan.FromSeconds(3));
            return text;
        }
    }

    [Workflow("custom-name")]
    public sealed class NamedWorkflow : IWorkflow<int>
    {
        public Task RunAsync(IWorkflowContext<int> context) => context.RunAsync("noop", _ => Task.CompletedTask);
    }
}
