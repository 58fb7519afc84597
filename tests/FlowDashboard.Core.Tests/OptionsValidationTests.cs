using FlowDashboard.Core.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Core.Tests;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("workers", "FlowDashboard:WorkerCount")]
    [InlineData("lease", "FlowDashboard:LeaseDuration")]
    [InlineData("store", "UseSqlite")]
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
                    case "store": o.ConnectionString = null; break;
                    case "memory": o.UseSqlite("Data Source=:memory:"); break;
                }
            }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
