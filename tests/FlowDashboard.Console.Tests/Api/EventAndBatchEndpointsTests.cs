using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Api;

/// <summary>Notify, batch trigger and the OpenAPI document over a real Kestrel host.</summary>
public sealed class EventAndBatchEndpointsTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Notify_RunWaitingForTheEvent_WakesItWithThePayload()
    {
        var runId = await TriggerAsync("approve", new { name = "ada" });
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Waiting");

        using var response = await host.Http.PostAsJsonAsync("/flows/api/events/approve-ada", "yes", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal([runId], body.GetProperty("woken").EnumerateArray().Select(r => r.GetString()));
        Assert.False(body.GetProperty("kept").GetBoolean());
        var run = await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");
        Assert.Equal("yes", run.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Notify_NamedRunBeforeItWaits_IsKeptForIt()
    {
        var runId = await TriggerAsync("nap", new { name = "kept" });

        using var response = await host.Http.PostAsJsonAsync($"/flows/api/events/some-later-event?runId={runId}", new { late = true }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Empty(body.GetProperty("woken").EnumerateArray());
        Assert.True(body.GetProperty("kept").GetBoolean());
    }

    [Fact]
    public async Task Notify_NobodyWaits_WakesNothing()
    {
        using var response = await host.Http.PostAsJsonAsync("/flows/api/events/nobody-waits", new { }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Empty(body.GetProperty("woken").EnumerateArray());
        Assert.False(body.GetProperty("kept").GetBoolean());
    }

    [Fact]
    public async Task Notify_UnknownOrFinishedRun_Returns404Or409Problem()
    {
        var done = await TriggerAsync("greet", new { name = "done" });
        await host.WaitForRunAsync(done, r => r.GetProperty("status").GetString() == "Completed");

        using var unknown = await host.Http.PostAsJsonAsync("/flows/api/events/e?runId=no-such-run", 1, TestContext.Current.CancellationToken);
        using var finished = await host.Http.PostAsJsonAsync($"/flows/api/events/e?runId={done}", 1, TestContext.Current.CancellationToken);
        using var malformed = await host.Http.PostAsync("/flows/api/events/e", new StringContent("{not json", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(unknown, HttpStatusCode.NotFound, "no-such-run");
        await ApiAssert.ProblemAsync(finished, HttpStatusCode.Conflict, "Completed");
        await ApiAssert.ProblemAsync(malformed, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task Batch_ValidInputs_StartsEveryRun()
    {
        using var response = await host.Http.PostAsJsonAsync(
            "/flows/api/workflows/greet/runs/batch",
            new object[] { new { runId = "batch-1", input = new { name = "one" } }, new { input = new { name = "two" } } },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runs = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal("batch-1", runs[0].GetProperty("runId").GetString());
        Assert.All(runs, r => Assert.True(r.GetProperty("created").GetBoolean()));
        foreach (var run in runs) await host.WaitForRunAsync(run.GetProperty("runId").GetString()!, r => r.GetProperty("status").GetString() == "Completed");
    }

    [Fact]
    public async Task Batch_OneInvalidInput_StartsNothingAndNamesTheItem()
    {
        using var response = await host.Http.PostAsJsonAsync(
            "/flows/api/workflows/greet/runs/batch",
            new object[] { new { runId = "batch-ok", input = new { name = "fine" } }, new { input = new { name = "x", times = "many" } } },
            TestContext.Current.CancellationToken);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "nothing was started");
        Assert.True(problem.GetProperty("errors").TryGetProperty("[1].input.times", out _), problem.ToString());
        using var check = await host.Http.GetAsync("/flows/api/runs/batch-ok", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }

    [Theory]
    [InlineData("/flows/api/workflows/greet/runs/batch", "{}", HttpStatusCode.BadRequest)]
    [InlineData("/flows/api/workflows/greet/runs/batch", "[]", HttpStatusCode.BadRequest)]
    [InlineData("/flows/api/workflows/greet/runs/batch", "[1]", HttpStatusCode.BadRequest)]
    [InlineData("/flows/api/workflows/no-such-workflow/runs/batch", """[{"input": {"name": "a"}}]""", HttpStatusCode.NotFound)]
    public async Task Batch_BadRequest_AnswersProblemDetails(string path, string body, HttpStatusCode status)
    {
        using var response = await host.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(response, status, "");
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheApiUnderItsPrefix()
    {
        var document = await host.Http.GetFromJsonAsync<JsonElement>("/flows/api/openapi.json", TestContext.Current.CancellationToken);

        Assert.Equal("/flows", document.GetProperty("servers")[0].GetProperty("url").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/workflows/{workflow}/runs", paths);
        Assert.Contains("/api/runs/{runId}/steps/{step}/retry", paths);
        Assert.Contains("/api/events/{eventId}", paths);
        Assert.Contains("/api/schedules/{name}", paths);
    }

    private async Task<string> TriggerAsync(string workflow, object input)
    {
        using var response = await host.Http.PostAsJsonAsync($"/flows/api/workflows/{workflow}/runs", input, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;
    }
}
