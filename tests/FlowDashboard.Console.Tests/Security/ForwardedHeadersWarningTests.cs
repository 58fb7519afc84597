using FlowDashboard.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Console.Tests.Security;

/// <summary>Behind a proxy every client looks local: a host that reads forwarded headers and names no view policy is warned.</summary>
public sealed class ForwardedHeadersWarningTests
{
    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, "flows-view", false)]
    public async Task MapFlowDashboard_ForwardedHeadersEnabled_WarnsOnlyWithoutAViewPolicy(bool enabled, string? viewPolicy, bool warned)
    {
        var logs = new TestLogs();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        if (enabled) builder.Configuration["FORWARDEDHEADERS_ENABLED"] = "true";
        builder.Services.AddFlowDashboard(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), $"flowdashboard-forwarded-{Guid.NewGuid():N}.db")}");
            o.ViewPolicy = viewPolicy;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy("flows-view", p => p.RequireAuthenticatedUser());
        await using var app = builder.Build();

        app.MapFlowDashboard("/flows");

        Assert.Equal(warned, logs.ToString().Contains("Forwarded headers are enabled", StringComparison.Ordinal));
    }
}
