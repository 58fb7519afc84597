using FlowDashboard.Core.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlowDashboard.Core.Tests.Execution;

public sealed class EngineStopTests
{
    [Fact]
    public async Task StopAsync_CalledConcurrentlyWithDispose_EveryCallReturns()
    {
        // app.Run() stops and disposes its host while WebApplicationFactory does the same: once, two
        // concurrent disposals of Hangfire's server waited forever on an already disposed handle.
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("idle", _ => Task.CompletedTask));
        var engine = host.Services.GetServices<IHostedService>().OfType<IAsyncDisposable>().Single();
        var stopper = (IHostedService)engine;

        var all = Task.WhenAll(
            Task.Run(() => stopper.StopAsync(CancellationToken.None), TestContext.Current.CancellationToken),
            Task.Run(() => stopper.StopAsync(CancellationToken.None), TestContext.Current.CancellationToken),
            Task.Run(async () => await engine.DisposeAsync(), TestContext.Current.CancellationToken));

        await all.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
