using Microsoft.AspNetCore.Builder;

namespace FlowDashboard.Console.Tests;

public sealed class MapFlowDashboardTests
{
    [Fact]
    public async Task MapFlowDashboard_WithoutAddFlowDashboard_ThrowsNamingIt()
    {
        await using var app = WebApplication.CreateBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapFlowDashboard("/flows"));

        Assert.Contains("AddFlowDashboard", error.Message, StringComparison.Ordinal);
    }
}
