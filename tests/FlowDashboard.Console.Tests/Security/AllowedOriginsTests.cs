using System.Net;
using System.Text;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Security;

/// <summary>FlowDashboard:AllowedOrigins lets a named origin's pages act through the API, and no other.</summary>
public sealed class AllowedOriginsTests(AllowedOriginsTests.Host host) : IClassFixture<AllowedOriginsTests.Host>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://ops.example.com", HttpStatusCode.Accepted)]
    [InlineData("https://OPS.example.com", HttpStatusCode.Accepted)]
    [InlineData("https://other.example.com", HttpStatusCode.Forbidden)]
    public async Task Trigger_FromAnOrigin_IsServedOnlyWhenListed(string origin, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/flows/api/workflows/greet/runs")
        {
            Content = new StringContent("""{"name":"cross-origin"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);

        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The API host with one origin allowed.</summary>
    public sealed class Host : ApiHost
    {
        protected override void Configure(FlowDashboardOptions options) => options.AllowedOrigins.Add("https://ops.example.com/");
    }
}
