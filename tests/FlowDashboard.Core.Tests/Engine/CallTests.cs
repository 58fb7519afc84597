using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>CallAsync against a real HTTP server: responses recorded, retries by the call's own policy, the run waiting meanwhile.</summary>
public sealed class CallTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private static readonly RetryPolicy Fast = new() { Retries = 3, InitialDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 };

    private readonly string key = Guid.NewGuid().ToString("N");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallAsync_GetAndPost_ReturnStatusHeadersAndBodyWithTheIdempotencyKeySent()
    {
        CallResponse<string>? raw = null;
        CallResponse<Widget>? typed = null;
        CallResponse<LoopbackServer.Echo>? echoed = null;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("calls", async ctx =>
        {
            raw = await ctx.CallAsync("raw", HttpMethod.Get, server.Url($"widget/{key}"));
            typed = await ctx.CallAsync<Widget>("typed", HttpMethod.Get, server.Url($"widget/{key}"));
            echoed = await ctx.CallAsync<LoopbackServer.Echo>(
                "post", HttpMethod.Post, server.Url($"echo/{key}"), new { item = "sprocket", count = 2 },
                new CallOptions { Headers = new Dictionary<string, string> { ["X-Tenant"] = "acme" } });
        }));
        var runId = (await host.Client.TriggerAsync("calls", 0, cancellationToken: Token)).RunId;

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([StepKind.Call, StepKind.Call, StepKind.Call], run.Steps.Select(s => s.Kind));
        Assert.Equal((200, LoopbackServer.WidgetJson), (raw!.Status, raw.Body));
        Assert.True(raw.IsSuccess);
        Assert.StartsWith("application/json", raw.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("widget", raw.Headers["X-Loopback"]);
        Assert.Equal(new Widget(42, "sprocket"), typed!.Body);
        Assert.Equal(new LoopbackServer.Echo("POST", """{"item":"sprocket","count":2}"""), echoed!.Body);

        var requests = server.Received(key);
        Assert.Equal(["GET", "GET", "POST"], requests.Select(r => r.Method));
        Assert.Equal([$"{runId}:raw", $"{runId}:typed", $"{runId}:post"], requests.Select(r => r.Headers["Idempotency-Key"]));
        Assert.Equal("acme", requests[2].Headers["X-Tenant"]);
        Assert.StartsWith("application/json", requests[2].Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallAsync_ResponseHeaders_AreLookedUpIgnoringCase()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string>("headers", async ctx =>
        {
            // HTTP header names are case-insensitive; over HTTP/2 they even arrive in lower case.
            var response = await ctx.CallAsync("get", HttpMethod.Get, server.Url($"widget/{key}"));
            return $"{response.Headers["x-loopback"]} {response.Headers["content-type"]}";
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("headers", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("widget application/json", run.Output!.Value.GetString());
    }

    [Fact]
    public async Task CallAsync_ServerAnswers500_ResponseIsReturnedNotThrown()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, int>("status", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"status/{key}/500"))).Status));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("status", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(500, run.Output!.Value.GetInt32());
        var call = Assert.Single(run.Steps);
        Assert.Equal(500, call.Output!.Value.GetProperty("status").GetInt32());
        Assert.Equal(AttemptStatus.Completed, Assert.Single(call.Attempts).Status);
        Assert.Single(server.Received(key));
    }

    [Fact]
    public async Task CallAsync_FailOnNonSuccessAndTwoFailures_CompletesOnTheThirdAttempt()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string?>("flaky", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"flaky/{key}/2"), options: new CallOptions { FailOnNonSuccess = true, Retry = Fast })).Body));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("flaky", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("""{"attempt":3}""", run.Output!.Value.GetString());
        var call = Assert.Single(run.Steps);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Failed, AttemptStatus.Completed], call.Attempts.Select(a => a.Status));
        Assert.Contains("500", call.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(3, server.Received(key).Count);
    }

    [Fact]
    public async Task CallAsync_RetriesExhausted_RunFailsNamingTheCall()
    {
        var url = server.Url($"flaky/{key}/100");
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("doomed", async ctx =>
            await ctx.CallAsync("charge", HttpMethod.Post, url, new { amount = 5 }, new CallOptions { FailOnNonSuccess = true, Retry = Fast with { Retries = 1 } })));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("doomed", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("'charge'", run.Error, StringComparison.Ordinal);
        Assert.Contains(url, run.Error, StringComparison.Ordinal);
        var call = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, call.Status);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Failed], call.Attempts.Select(a => a.Status));
        Assert.Equal(2, server.Received(key).Count);
    }

    [Fact]
    public async Task CallAsync_AttemptSlowerThanItsTimeout_FailsWithATimeoutAndIsRetried()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string?>("slow", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"slow/{key}/1"), options: new CallOptions { Timeout = TimeSpan.FromSeconds(3), Retry = Fast })).Body));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("slow", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("""{"attempt":2}""", run.Output!.Value.GetString());
        var call = Assert.Single(run.Steps);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Completed], call.Attempts.Select(a => a.Status));
        Assert.Contains("did not answer within", call.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(typeof(TimeoutException).FullName, call.Attempts[0].ErrorType);
    }

    [Fact]
    public async Task CallAsync_FailWhenRefusesA200_CallIsMadeAgainAndCompletes()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string?>("picky", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"error-once/{key}"), options: new CallOptions
            {
                FailWhen = response => response.Body?.Contains("error", StringComparison.Ordinal) == true,
                Retry = Fast,
            })).Body));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("picky", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("""{"status":"ok"}""", run.Output!.Value.GetString());
        var call = Assert.Single(run.Steps);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Completed], call.Attempts.Select(a => a.Status));
        Assert.Contains("refused", call.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Received(key).Count);
    }

    [Fact]
    public async Task CallAsync_WhileTheRequestIsInFlight_RunWaitsOnACallStep()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string?>("gated", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"gate/{key}"))).Body));
        var runId = (await host.Client.TriggerAsync("gated", 0, cancellationToken: Token)).RunId;

        await Poll.UntilAsync(() => Task.FromResult(server.Received(key).Count), n => n == 1, "the request to arrive");
        var waiting = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Waiting);
        var call = Assert.Single(waiting.Steps);
        Assert.Equal((StepKind.Call, StepStatus.Waiting), (call.Kind, call.Status));
        Assert.Equal(AttemptStatus.Running, Assert.Single(call.Attempts).Status);

        server.Release(key);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("""{"released":true}""", run.Output!.Value.GetString());
    }

    [Fact]
    public async Task CallJob_DeliveredAgainWhileTheCallIsInFlight_MakesNoSecondRequest()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string?>("gated", async ctx =>
            (await ctx.CallAsync("get", HttpMethod.Get, server.Url($"gate/{key}"))).Body));
        var runId = (await host.Client.TriggerAsync("gated", 0, cancellationToken: Token)).RunId;
        await Poll.UntilAsync(() => Task.FromResult(server.Received(key).Count), n => n == 1, "the request to arrive");

        // The call's job again (Hangfire delivered it twice, or another node's reconciler gave it one) while the
        // first is waiting for the response: it must leave that attempt alone and make no request of its own.
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<FlowDbContext>>().CreateDbContextAsync(Token))
        {
            var stepId = await db.Steps.Where(s => s.RunId == runId).Select(s => s.Id).SingleAsync(Token);
            var again = host.Services.GetRequiredService<CallJob>().ExecuteAsync(stepId, Token);
            await again.WaitAsync(TimeSpan.FromSeconds(10), Token);
        }

        Assert.Single(server.Received(key));
        server.Release(key);
        var run = await host.WaitForFinalAsync(runId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(AttemptStatus.Completed, Assert.Single(Assert.Single(run.Steps).Attempts).Status);
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/file")]
    public async Task CallAsync_UrlNotAbsoluteHttp_RunFailsNamingTheUrl(string url)
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("bad-url", async ctx =>
            await ctx.CallAsync("get", HttpMethod.Get, url)));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("bad-url", 0, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains($"'{url}'", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Steps);
    }

    private sealed record Widget(int Id, string Name);
}
