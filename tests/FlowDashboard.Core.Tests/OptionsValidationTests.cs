using FlowDashboard.Core.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Core.Tests;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("workers", "FlowDashboard:WorkerCount")]
    [InlineData("lease", "FlowDashboard:LeaseDuration")]
    [InlineData("memory", "UseSqlite")]
    public async Task Start_InvalidOptions_FailsNamingTheSetting(string mistake, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(
            _ => { },
            configure: o =>
            {
                switch (mistake)
                {
                    case "workers": o.WorkerCount = 0; break;
                    case "lease": o.LeaseDuration = TimeSpan.FromMilliseconds(10); break;
                    case "memory": o.UseSqlite("Data Source=:memory:"); break;
                }
            }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoStoreChosen_FailsNamingUseSqlite()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFlowDashboardEngine(_ => { });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("UseSqlite", error.Message, StringComparison.Ordinal);
    }
}
