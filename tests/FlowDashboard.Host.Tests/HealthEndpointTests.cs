using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;

namespace FlowDashboard.Host.Tests;

/// <summary>The standalone host's <c>/health</c>: ASP.NET Core's health checks, answered as JSON.</summary>
public sealed class HealthEndpointTests(ExampleHostFactory host) : IClassFixture<ExampleHostFactory>
{
    [Fact]
    public async Task GetHealth_StartedHost_200WithHealthyJsonAndTheFlowDashboardCheck()
    {
        // Asked until Healthy: Hangfire's server puts itself on its storage's list of servers on a thread of its own.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        HttpStatusCode status;
        string? mediaType;
        JsonElement body;
        do
        {
            using var response = await host.Http.GetAsync("/health", TestContext.Current.CancellationToken);
            (status, mediaType) = (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
            body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            if (status == HttpStatusCode.OK && body.GetProperty("status").GetString() == "Healthy") break;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", mediaType);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var check = body.GetProperty("checks").GetProperty("flowdashboard");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.StartsWith("Store migrated, Hangfire server alive", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, check.GetProperty("data").GetProperty("backlog").ValueKind);
    }
}
