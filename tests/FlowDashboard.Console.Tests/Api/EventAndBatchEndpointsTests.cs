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

    [Fact]
    public async Task Batch_InvalidRunIdAfterAValidItem_StartsNothingThenTheCorrectedBatchStartsEachOnce()
    {
        var token = "b" + Guid.NewGuid().ToString("N")[..10];
        var first = new { input = new { name = $"{token}-a" } };

        using var refused = await host.Http.PostAsJsonAsync(
            "/flows/api/workflows/greet/runs/batch", new object[] { first, new { runId = "a/b", input = new { name = $"{token}-b" } } }, Ct);
        var problem = await ApiAssert.ProblemAsync(refused, HttpStatusCode.BadRequest, "[1].runId");
        Assert.Equal(0, await CountAsync(token));

        using var accepted = await host.Http.PostAsJsonAsync(
            "/flows/api/workflows/greet/runs/batch", new object[] { first, new { runId = $"{token}-b", input = new { name = $"{token}-b" } } }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        foreach (var run in (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runs").EnumerateArray())
        {
            await host.WaitForRunAsync(run.GetProperty("runId").GetString()!, r => r.GetProperty("status").GetString() == "Completed");
        }

        Assert.Equal(2, await CountAsync(token));
        Assert.Equal((1, 1), (host.GreetExecutionsOf($"{token}-a"), host.GreetExecutionsOf($"{token}-b")));
        Assert.Contains("nothing was started", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Batch_ThousandItems_RecordsEveryRunAndAnswersEachId()
    {
        var token = "k" + Guid.NewGuid().ToString("N")[..10];
        var items = Enumerable.Range(0, 1000).Select(i => new { runId = $"{token}-{i}", input = new { name = token } }).ToList();

        using var response = await host.Http.PostAsJsonAsync("/flows/api/workflows/greet/runs/batch", items, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runs = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(items.Select(i => i.runId), runs.Select(r => r.GetProperty("runId").GetString()));
        Assert.All(runs, r => Assert.True(r.GetProperty("created").GetBoolean()));
        Assert.Equal(1000, await CountAsync(token));

        // Every one of them runs; and the host this class shares has no backlog left for the next test to queue behind
        // (on PostgreSQL a thousand runs take seconds).
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await CountAsync($"{token}&status=Completed") < 1000)
        {
            Assert.True(DateTime.UtcNow < deadline, "the batch's runs did not all complete within 2 minutes");
            await Task.Delay(250, Ct);
        }
    }

    [Fact]
    public async Task Batch_RunIdsThatExist_AnswersThemUncreatedAndStartsOnlyTheNewOnes()
    {
        var token = "e" + Guid.NewGuid().ToString("N")[..10];
        using var firstTime = await host.Http.PostAsJsonAsync("/flows/api/workflows/greet/runs/batch", new[] { new { runId = $"{token}-1", input = new { name = token } } }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, firstTime.StatusCode);

        using var again = await host.Http.PostAsJsonAsync(
            "/flows/api/workflows/greet/runs/batch",
            new[] { new { runId = $"{token}-1", input = new { name = token } }, new { runId = $"{token}-2", input = new { name = token } } }, Ct);

        var runs = (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("created").GetBoolean());
        Assert.Equal([false, true], runs);
        Assert.Equal(2, await CountAsync(token));
    }

    [Fact]
    public async Task Notify_WithoutRunIdAPayloadTheWaitDoesNotFit_WakesNothingAndNamesTheRefusingRun()
    {
        var order = "o" + Guid.NewGuid().ToString("N")[..10];
        var runId = await TriggerAsync("ship", new { orderId = order, quantity = 1 });
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Waiting");

        using var typo = await host.Http.PostAsJsonAsync($"/flows/api/events/ship-{order}", new { approve = true, by = "ada" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, typo.StatusCode);
        var body = await typo.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, body.GetProperty("woken").GetArrayLength());
        var refusal = Assert.Single(body.GetProperty("refused").EnumerateArray().ToList());
        Assert.Equal((runId, "approval"), (refusal.GetProperty("runId").GetString(), refusal.GetProperty("step").GetString()));
        Assert.True(refusal.GetProperty("errors").TryGetProperty("approve", out _), refusal.ToString());
        var run = await host.Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", Ct);
        Assert.Equal("Waiting", run.GetProperty("status").GetString());

        using var right = await host.Http.PostAsJsonAsync($"/flows/api/events/ship-{order}?runId={runId}", new { approved = true, by = "ada" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        var done = await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");
        Assert.Equal("approved by ada", done.GetProperty("output").GetString());
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

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> CountAsync(string search)
    {
        var total = 0;
        string? cursor = null;
        do
        {
            var page = await host.Http.GetFromJsonAsync<JsonElement>(
                $"/flows/api/runs?search={search}&pageSize=500" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), Ct);
            total += page.GetProperty("runs").GetArrayLength();
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return total;
    }

    private async Task<string> TriggerAsync(string workflow, object input)
    {
        using var response = await host.Http.PostAsJsonAsync($"/flows/api/workflows/{workflow}/runs", input, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;
    }
}
