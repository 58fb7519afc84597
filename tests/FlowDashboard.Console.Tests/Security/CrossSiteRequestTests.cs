using System.Net;
using System.Net.Http.Json;
using System.Text;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Security;

/// <summary>
/// What a web page open in a browser on the same machine could send to the local-only default, against a real
/// host: a cross-site POST (refused by its Origin), a request through a DNS name the page controls (refused by its
/// Host), a request through a proxy on this machine (refused by its forwarding headers). Each refusal is a 403
/// ProblemDetails that leaves the store as it was; the console's own requests still pass.
/// </summary>
public sealed class CrossSiteRequestTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string OwnOrigin => host.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    [Theory]
    [InlineData("POST", "/flows/api/workflows/greet/runs", """{"name":"csrf"}""")]
    [InlineData("POST", "/flows/api/runs/bulk/delete", """{"filter":{}}""")]
    [InlineData("POST", "/flows/api/runs/bulk/cancel", """{"filter":{}}""")]
    [InlineData("POST", "/flows/api/events/anything", "{}")]
    [InlineData("POST", "/flows/api/schedules", """{"name":"csrf","workflow":"greet","cron":"0 0 1 1 *","input":{"name":"csrf"}}""")]
    [InlineData("DELETE", "/flows/api/runs/some-run", null)]
    public async Task ChangingRequest_FromAnotherOrigin_Returns403AndChangesNothing(string method, string path, string? body)
    {
        var before = await StoreSnapshot.TakeAsync(host.Folder);

        using var response = await SendAsync(method, path, body, request => request.Headers.Add("Origin", "http://evil.example"));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden, "evil.example");
        Assert.Contains("AllowedOrigins", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(host.Folder));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("https://localhost.evil.example")]
    public async Task Trigger_FromAnOriginThatOnlyLooksLocal_Returns403(string origin)
    {
        using var response = await SendAsync("POST", "/flows/api/workflows/greet/runs", """{"name":"csrf"}""", request => request.Headers.Add("Origin", origin));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden, "origin");
    }

    [Fact]
    public async Task Trigger_FromTheConsolesOwnOrigin_Returns202()
    {
        using var response = await SendAsync("POST", "/flows/api/workflows/greet/runs", """{"name":"same-origin"}""", request => request.Headers.Add("Origin", OwnOrigin));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // Finished before the next test of this class compares the store before and after a refused request.
        var runId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("runId").GetString()!;
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");
    }

    [Fact]
    public async Task Read_FromAnotherOrigin_IsServed()
    {
        using var response = await SendAsync("GET", "/flows/api/workflows", null, request => request.Headers.Add("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/flows/api/runs")]
    [InlineData("GET", "/flows/")]
    [InlineData("POST", "/flows/api/runs/bulk/delete")]
    public async Task Request_AddressedToAnotherName_Returns403(string method, string path)
    {
        var before = await StoreSnapshot.TakeAsync(host.Folder);

        using var response = await SendAsync(method, path, method == "POST" ? """{"filter":{}}""" : null,
            request => request.Headers.Host = $"attacker.example:{host.Http.BaseAddress!.Port}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden, "attacker.example");
        Assert.Equal(before, await StoreSnapshot.TakeAsync(host.Folder));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Request_AddressedToThisMachine_IsServed(string name)
    {
        using var response = await SendAsync("GET", "/flows/api/workflows", null, request => request.Headers.Host = $"{name}:{host.Http.BaseAddress!.Port}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    public async Task Request_ThroughAProxy_Returns403ProblemSayingWhy(string header, string value)
    {
        using var response = await SendAsync("GET", "/flows/api/runs", null, request => request.Headers.Add(header, value));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden, "proxy");
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, Action<HttpRequestMessage> change)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        change(request);
        return await host.Http.SendAsync(request, Ct);
    }
}
