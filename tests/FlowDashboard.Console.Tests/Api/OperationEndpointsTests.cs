using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Api;

/// <summary>The list, operator and bulk endpoints against a real host; each test marks its runs with a token of its own.</summary>
public sealed class OperationEndpointsTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string token = "t" + Guid.NewGuid().ToString("N")[..12];

    private HttpClient Http => host.Http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListRuns_WorkflowStatusAndSearch_ReturnsOnlyTheRunsMatchingAll()
    {
        var first = await TriggerAsync("greet", $"{token}-a");
        var second = await TriggerAsync("greet", $"{token}-b");
        var sleeper = await TriggerAsync("nap", $"{token}-c");
        await TriggerAsync("greet", "someone-else");
        await WaitForStatusAsync(first, "Completed");
        await WaitForStatusAsync(second, "Completed");
        await WaitForStatusAsync(sleeper, "Sleeping");

        var completed = await ListAsync($"workflow=greet&status=Completed&search={token}");
        var sleeping = await ListAsync($"status=Sleeping&search={token}");
        var either = await ListAsync($"status=Sleeping,Completed&search={token}");

        Assert.Equal([second, first], Ids(completed));
        Assert.Equal([sleeper], Ids(sleeping));
        Assert.Equal([sleeper, second, first], Ids(either));
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("&order=newest", false)]
    [InlineData("&order=oldest", true)]
    public async Task ListRuns_CursorPaging_VisitsEveryRunOnceInTheOrderAsked(string order, bool oldestFirst)
    {
        var started = new List<string>();
        for (var i = 0; i < 5; i++) started.Add(await TriggerAsync("nap", $"{token}-{i}"));

        var seen = new List<string>();
        var pages = new List<int>();
        string? cursor = null;
        do
        {
            var page = await ListAsync($"search={token}&pageSize=2{order}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            pages.Add(page.GetProperty("runs").GetArrayLength());
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages);
        if (!oldestFirst) started.Reverse();
        Assert.Equal(started, seen);
    }

    [Theory]
    [InlineData("status=Bogus", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=many", "pageSize")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=YWJj", "cursor")]
    [InlineData("order=sideways", "order")]
    [InlineData("tag=no-equals-sign", "tag")]
    public async Task ListRuns_BadParameter_Returns400ProblemNamingIt(string query, string named)
    {
        var response = await Http.GetAsync($"/flows/api/runs?{query}", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, named);
    }

    [Fact]
    public async Task RetryStep_FailedStep_Returns202AndTheRunCompletes()
    {
        var runId = await FailedChargeAsync();
        host.Accept(token);

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/steps/charge-card/retry", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(runId, body.GetProperty("runId").GetString());
        Assert.Equal("charge-card", body.GetProperty("step").GetString());
        var run = await WaitForStatusAsync(runId, "Completed");
        Assert.Equal($"Charged {token}", run.GetProperty("output").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal(["Failed", "Completed"], step.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task RetryStep_UnknownStep_Returns404Problem()
    {
        var runId = await FailedChargeAsync();

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/steps/no-such-step/retry", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "no-such-step");
    }

    [Fact]
    public async Task RetryStep_RunThatDidNotFail_Returns409Problem()
    {
        var runId = await TriggerAsync("greet", token);
        await WaitForStatusAsync(runId, "Completed");

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/steps/compose/retry", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "Completed");
    }

    [Fact]
    public async Task Resume_FailedRun_Returns202AndTheRunCompletes()
    {
        var runId = await FailedChargeAsync();
        host.Accept(token);

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/resume", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForStatusAsync(runId, "Completed");
    }

    [Fact]
    public async Task Resume_RunThatDidNotFail_Returns409Problem()
    {
        var runId = await TriggerAsync("nap", token);
        await WaitForStatusAsync(runId, "Sleeping");

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/resume", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "Sleeping");
    }

    [Fact]
    public async Task Restart_FailedRun_Returns202WithANewRunOfTheSameInput()
    {
        var runId = await FailedChargeAsync();
        host.Accept(token);

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/restart", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var restarted = body.GetProperty("runId").GetString()!;
        Assert.NotEqual(runId, restarted);
        Assert.Equal(runId, body.GetProperty("restartOf").GetString());
        var run = await WaitForStatusAsync(restarted, "Completed");
        Assert.Equal("restart", run.GetProperty("source").GetString());
        Assert.Equal(token, run.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal("Failed", (await GetRunAsync(runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rerun_FailedRunFromItsStepWithEditedInput_Returns202AndTheNewRunCompletes()
    {
        var runId = await FailedChargeAsync();
        var accepted = $"{token}-fixed";
        host.Accept(accepted);

        var response = await PostJsonAsync($"/flows/api/runs/{runId}/rerun", JsonSerializer.Serialize(new { fromStep = "charge-card", input = new { name = accepted } }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var rerunId = body.GetProperty("runId").GetString()!;
        Assert.Equal((runId, "charge-card"), (body.GetProperty("rerunOf").GetString(), body.GetProperty("fromStep").GetString()));
        Assert.EndsWith($"/api/runs/{rerunId}", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var rerun = await WaitForStatusAsync(rerunId, "Completed");
        Assert.Equal(("rerun", runId, accepted), (rerun.GetProperty("source").GetString(), rerun.GetProperty("sourceRef").GetString(), rerun.GetProperty("input").GetProperty("name").GetString()));
        Assert.Equal(rerunId, (await GetRunAsync(runId)).GetProperty("reruns")[0].GetString());
    }

    [Theory]
    [InlineData("""{"input": {}}""", HttpStatusCode.BadRequest, "fromStep")]
    [InlineData("""{"fromStep": "charge-card", "extra": 1}""", HttpStatusCode.BadRequest, "extra")]
    [InlineData("""{"fromStep": "charge-card", "input": {"name": 7}}""", HttpStatusCode.BadRequest, "name")]
    [InlineData("""{"fromStep": "nope"}""", HttpStatusCode.NotFound, "nope")]
    public async Task Rerun_BadBody_ReturnsProblemAndStartsNothing(string body, HttpStatusCode status, string says)
    {
        var runId = await FailedChargeAsync();

        var response = await PostJsonAsync($"/flows/api/runs/{runId}/rerun", body);

        await ApiAssert.ProblemAsync(response, status, says);
        Assert.Equal(0, (await GetRunAsync(runId)).GetProperty("reruns").GetArrayLength());
    }

    [Fact]
    public async Task Restart_UnknownRun_Returns404Problem()
    {
        var response = await Http.PostAsync("/flows/api/runs/no-such-run/restart", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "no-such-run");
    }

    [Fact]
    public async Task Delete_FinishedRun_Returns204AndTheRunIsGone()
    {
        var runId = await TriggerAsync("greet", token);
        await WaitForStatusAsync(runId, "Completed");

        var response = await Http.DeleteAsync($"/flows/api/runs/{runId}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ApiAssert.ProblemAsync(await Http.GetAsync($"/flows/api/runs/{runId}", Ct), HttpStatusCode.NotFound, runId);
    }

    [Fact]
    public async Task Delete_RunNotFinished_Returns409ProblemAndKeepsIt()
    {
        var runId = await TriggerAsync("nap", token);
        await WaitForStatusAsync(runId, "Sleeping");

        var response = await Http.DeleteAsync($"/flows/api/runs/{runId}", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "cancel it");
        Assert.Equal("Sleeping", (await GetRunAsync(runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_UnknownRun_Returns404Problem()
    {
        var response = await Http.DeleteAsync("/flows/api/runs/no-such-run", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "no-such-run");
    }

    [Fact]
    public async Task BulkCancel_RunIds_Returns202WithLocationAndCancelsThem()
    {
        var first = await TriggerAsync("nap", $"{token}-1");
        var second = await TriggerAsync("nap", $"{token}-2");
        var done = await TriggerAsync("greet", $"{token}-3");
        await WaitForStatusAsync(first, "Sleeping");
        await WaitForStatusAsync(second, "Sleeping");
        await WaitForStatusAsync(done, "Completed");

        var response = await PostJsonAsync("/flows/api/runs/bulk/cancel", JsonSerializer.Serialize(new { runIds = new[] { first, second, done } }));

        var bulk = await AssertBulkAcceptedAsync(response, total: 3);
        Assert.Equal(2, bulk.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, bulk.GetProperty("skipped").GetInt32());
        Assert.Equal("Cancelled", (await GetRunAsync(first)).GetProperty("status").GetString());
        Assert.Equal("Cancelled", (await GetRunAsync(second)).GetProperty("status").GetString());
        Assert.Equal("Completed", (await GetRunAsync(done)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BulkCancel_Filter_CancelsEveryMatchingRunAndNoOtherAndEchoesTheFilter()
    {
        var matching = new List<string>();
        for (var i = 0; i < 3; i++) matching.Add(await TriggerAsync("nap", $"{token}-{i}"));
        var other = await TriggerAsync("nap", "not-this-one-" + token[..6]);
        foreach (var runId in matching.Append(other)) await WaitForStatusAsync(runId, "Sleeping");

        var response = await PostJsonAsync("/flows/api/runs/bulk/cancel", $$$"""{"filter": {"workflow": "nap", "status": ["Sleeping"], "search": "{{{token}}}"}}""");

        var echoed = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("filter");
        Assert.Equal(("nap", "Sleeping", token), (echoed.GetProperty("workflow").GetString(), echoed.GetProperty("status")[0].GetString(), echoed.GetProperty("search").GetString()));
        var bulk = await AssertBulkAcceptedAsync(response, total: 3);
        Assert.Equal(3, bulk.GetProperty("succeeded").GetInt32());
        foreach (var runId in matching) Assert.Equal("Cancelled", (await GetRunAsync(runId)).GetProperty("status").GetString());
        Assert.Equal("Sleeping", (await GetRunAsync(other)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Tags_GivenAtTrigger_ShownOnTheRunListedByTagAndActedOnInBulk()
    {
        var tagged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await PostJsonAsync($"/flows/api/workflows/nap/runs?tag=tenant%3D{token}&tag=plan%3Dgold%3Dplus", JsonSerializer.Serialize(new { name = $"{token}-{i}" }));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            tagged.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString()!);
        }

        var batch = await PostJsonAsync($"/flows/api/workflows/nap/runs/batch?tag=tenant%3D{token}", """[{"input": {"name": "b"}}]""");
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        tagged.Add((await batch.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runs")[0].GetProperty("runId").GetString()!);
        var other = await TriggerAsync("nap", token);
        foreach (var runId in tagged.Append(other)) await WaitForStatusAsync(runId, "Sleeping");

        var run = await GetRunAsync(tagged[0]);
        Assert.Equal(token, run.GetProperty("tags").GetProperty("tenant").GetString());
        Assert.Equal("gold=plus", run.GetProperty("tags").GetProperty("plan").GetString());
        var listed = await ListAsync($"tag=tenant%3D{token}");
        Assert.Equal(Enumerable.Reverse(tagged), Ids(listed));
        Assert.Equal(token, listed.GetProperty("runs")[0].GetProperty("tags").GetProperty("tenant").GetString());
        Assert.Equal(tagged.Take(3).Reverse(), Ids(await ListAsync($"tag=tenant%3D{token}&tag=plan%3Dgold%3Dplus")));

        var bulk = await PostJsonAsync("/flows/api/runs/bulk/cancel", $$$"""{"filter": {"tags": ["tenant={{{token}}}"]}}""");

        Assert.Equal(4, (await AssertBulkAcceptedAsync(bulk, total: 4)).GetProperty("succeeded").GetInt32());
        foreach (var runId in tagged) Assert.Equal("Cancelled", (await GetRunAsync(runId)).GetProperty("status").GetString());
        Assert.Equal("Sleeping", (await GetRunAsync(other)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("tag=customer")]
    [InlineData("tag=has%20space%3D1")]
    [InlineData("tag=customer%3D")]
    [InlineData("tag=customer%3D1&tag=customer%3D2")]
    public async Task Trigger_BadTag_Returns400NamingTagAndStartsNothing(string query)
    {
        var runId = $"{token}-bad-tag";

        var response = await PostJsonAsync($"/flows/api/workflows/greet/runs?runId={runId}&{query}", """{"name": "x"}""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "tag");
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/flows/api/runs/{runId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task PauseAndResume_Workflow_HoldsItsNewRunsListsThePauseAndReleasesThem()
    {
        var pause = await Http.PostAsync("/flows/api/workflows/approve/pause", null, Ct);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.False((await pause.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("alreadyPaused").GetBoolean());
        var runId = await TriggerAsync("approve", token);
        await host.WaitForRunAsync(runId, r => r.GetProperty("held").GetBoolean());

        var pauses = await Http.GetFromJsonAsync<JsonElement>("/flows/api/pauses", Ct);
        var listed = Assert.Single(pauses.EnumerateArray());
        Assert.Equal(("approve", 1), (listed.GetProperty("workflow").GetString(), listed.GetProperty("held").GetInt32()));
        Assert.Equal("Pending", (await GetRunAsync(runId)).GetProperty("status").GetString());

        var resume = await Http.PostAsync("/flows/api/workflows/approve/resume", null, Ct);

        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(1, (await resume.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("released").GetInt32());
        await host.WaitForRunAsync(runId, r => !r.GetProperty("held").GetBoolean() && r.GetProperty("status").GetString() != "Pending");
        Assert.Empty((await Http.GetFromJsonAsync<JsonElement>("/flows/api/pauses", Ct)).EnumerateArray());
    }

    [Theory]
    [InlineData("/flows/api/workflows/nope/pause", HttpStatusCode.NotFound, "nope")]
    [InlineData("/flows/api/workflows/greet/pause?key=acme", HttpStatusCode.BadRequest, "flow-control key")]
    [InlineData("/flows/api/workflows/greet/resume", HttpStatusCode.Conflict, "not paused")]
    public async Task PauseOrResume_BadRequest_ReturnsProblem(string path, HttpStatusCode status, string says)
    {
        var response = await Http.PostAsync(path, null, Ct);

        await ApiAssert.ProblemAsync(response, status, says);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("cancel")]
    public async Task Bulk_ChunkedBodyNamingOneUnknownRun_ActsOnThatRunAlone(string action)
    {
        var finished = await TriggerAsync("greet", $"{token}-done");
        var sleeping = await TriggerAsync("nap", $"{token}-asleep");
        await WaitForStatusAsync(finished, "Completed");
        await WaitForStatusAsync(sleeping, "Sleeping");
        var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes("""{"runIds":["nope"]}""")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Http.PostAsync($"/flows/api/runs/bulk/{action}", content, Ct);

        Assert.Null(response.RequestMessage!.Content!.Headers.ContentLength);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var bulk = await host.WaitForJsonAsync(response.Headers.Location!.OriginalString, b => b.GetProperty("finished").GetBoolean());
        Assert.Equal((1, 0, 1), (bulk.GetProperty("total").GetInt32(), bulk.GetProperty("succeeded").GetInt32(), bulk.GetProperty("skipped").GetInt32()));
        Assert.Equal("Completed", (await GetRunAsync(finished)).GetProperty("status").GetString());
        Assert.Equal("Sleeping", (await GetRunAsync(sleeping)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bulk_UnknownAction_Returns404ProblemNamingTheActions()
    {
        var response = await PostJsonAsync("/flows/api/runs/bulk/explode", """{"runIds":["a"]}""");

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "explode");
        Assert.Contains("cancel, resume, restart, delete", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"runIds":[]}""", "runIds")]
    [InlineData("""{"ids":["a"]}""", "ids")]
    [InlineData("""{"runIds":""", "JSON")]
    [InlineData("""{}""", "filter")]
    [InlineData("""{"runIds":["a"],"filter":{}}""", "either")]
    [InlineData("""{"filter":{"status":["Bogus"]}}""", "filter.status")]
    [InlineData("""{"filter":{"status":[1]}}""", "filter.status")]
    [InlineData("""{"filter":{"from":"yesterday"}}""", "filter.from")]
    [InlineData("""{"filter":{"search":"a\u0000b"}}""", "filter.search")]
    [InlineData("""{"filter":{"tags":["customer"]}}""", "filter.tags")]
    public async Task Bulk_BadBody_Returns400Problem(string body, string named)
    {
        var response = await PostJsonAsync("/flows/api/runs/bulk/cancel", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, named);
    }

    [Fact]
    public async Task Bulk_QueryFilterWithoutBody_Returns400AndActsOnNothing()
    {
        var sleeping = await TriggerAsync("nap", token);
        await WaitForStatusAsync(sleeping, "Sleeping");

        var response = await Http.PostAsync("/flows/api/runs/bulk/cancel?status=Sleeping", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "filter");
        Assert.Equal("Sleeping", (await GetRunAsync(sleeping)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetBulk_UnknownId_Returns404Problem()
    {
        var response = await Http.GetAsync("/flows/api/bulk/no-such-bulk", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "no-such-bulk");
    }

    /// <summary>Asserts the 202 and its Location, then follows it until the operation finishes, checking every read.</summary>
    private async Task<JsonElement> AssertBulkAcceptedAsync(HttpResponseMessage response, int total)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {response.StatusCode}: {text}");
        var started = JsonDocument.Parse(text).RootElement;
        var id = started.GetProperty("id").GetString();
        Assert.Equal($"/flows/api/bulk/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Cancel", started.GetProperty("action").GetString());
        Assert.Equal(total, started.GetProperty("total").GetInt32());

        var done = new List<int>();
        var finished = await host.WaitForJsonAsync(response.Headers.Location!.OriginalString, b => b.GetProperty("finished").GetBoolean(),
            seen: b =>
            {
                Assert.Equal(id, b.GetProperty("id").GetString());
                Assert.Equal(total, b.GetProperty("total").GetInt32());
                done.Add(b.GetProperty("done").GetInt32());
            });
        Assert.Equal(done.Order(), done);
        Assert.Equal(total, finished.GetProperty("done").GetInt32());
        Assert.Equal(0, finished.GetProperty("failed").GetInt32());
        return finished;
    }

    private async Task<string> FailedChargeAsync()
    {
        host.Decline(token);
        var runId = await TriggerAsync("charge", token);
        var run = await WaitForStatusAsync(runId, "Failed");
        Assert.Contains("declined", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        return runId;
    }

    private async Task<string> TriggerAsync(string workflow, string name)
    {
        var response = await PostJsonAsync($"/flows/api/workflows/{workflow}/runs", JsonSerializer.Serialize(new { name }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString()!;
    }

    private Task<JsonElement> WaitForStatusAsync(string runId, string status) =>
        host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == status);

    private Task<JsonElement> GetRunAsync(string runId) => Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", Ct);

    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await Http.GetAsync($"/flows/api/runs?{query}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!).ToList();

    private Task<HttpResponseMessage> PostJsonAsync(string path, string body) =>
        Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
}
