using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Api;

public sealed class RunEndpointsTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Http => host.Http;

    [Fact]
    public async Task Trigger_ValidInput_Returns202WithRunIdAndLocation()
    {
        var response = await Http.PostAsJsonAsync("/flows/api/workflows/greet/runs", new { name = "Ada" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString();
        Assert.False(string.IsNullOrEmpty(runId));
        Assert.Equal($"/flows/api/runs/{runId}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GetRun_CompletedRun_HasTheDocumentedShape()
    {
        var runId = await TriggerAsync("greet", """{"name":"Grace"}""");

        var run = await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        Assert.Equal(runId, run.GetProperty("runId").GetString());
        Assert.Equal("greet", run.GetProperty("workflow").GetString());
        Assert.Equal("Grace", run.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal("Hello, Grace!", run.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        Assert.True(run.GetProperty("createdAt").GetDateTimeOffset() <= run.GetProperty("completedAt").GetDateTimeOffset());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("compose", step.GetProperty("name").GetString());
        Assert.Equal("Run", step.GetProperty("kind").GetString());
        Assert.Equal("Completed", step.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, step.GetProperty("startedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, step.GetProperty("completedAt").ValueKind);
        var attempt = Assert.Single(step.GetProperty("attempts").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal("Completed", attempt.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, attempt.GetProperty("startedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, attempt.GetProperty("endedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Trigger_SameRunIdTwice_Returns200AndStartsNothing()
    {
        var runId = "order-" + Guid.NewGuid().ToString("N");
        var first = await PostAsync($"/flows/api/workflows/greet/runs?runId={runId}", """{"name":"Linus"}""");
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        var second = await PostAsync($"/flows/api/workflows/greet/runs?runId={runId}", """{"name":"Someone else"}""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(runId, (await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString());
        var run = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
        Assert.Equal("Linus", run.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal(1, host.GreetExecutionsOf("Linus"));
        Assert.Equal(0, host.GreetExecutionsOf("Someone else"));
    }

    [Fact]
    public async Task Trigger_SameRunIdForAnotherWorkflow_Returns409()
    {
        var runId = "shared-" + Guid.NewGuid().ToString("N");
        await PostAsync($"/flows/api/workflows/greet/runs?runId={runId}", """{"name":"A"}""");

        var response = await PostAsync($"/flows/api/workflows/nap/runs?runId={runId}", """{"name":"B"}""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "greet");
    }

    [Fact]
    public async Task Cancel_SleepingRun_Returns202AndRunIsCancelled()
    {
        var runId = await TriggerAsync("nap", """{"name":"Sleepy"}""");
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Sleeping");

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        Assert.Equal("Cancelled", Assert.Single(run.GetProperty("steps").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_CompletedRun_Returns409Problem()
    {
        var runId = await TriggerAsync("greet", """{"name":"Done"}""");
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        var response = await Http.PostAsync($"/flows/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "Completed");
    }

    [Theory]
    [InlineData("/flows/api/workflows/no-such-workflow/runs", "no-such-workflow")]
    [InlineData("/flows/api/runs/no-such-run/cancel", "no-such-run")]
    public async Task Post_UnknownWorkflowOrRun_Returns404Problem(string path, string named)
    {
        var response = await PostAsync(path, """{"name":"x"}""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, named);
    }

    [Theory]
    [InlineData("/flows/api/runs/no-such-run", "no-such-run")]
    [InlineData("/flows/api/nothing-here", "nothing-here")]
    public async Task Get_UnknownRunOrEndpoint_Returns404Problem(string path, string named)
    {
        var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, named);
    }

    [Theory]
    [InlineData("""{"name": "Ada",""", "JSON")]
    [InlineData("""not json at all""", "JSON")]
    [InlineData("""{"name": "Ada", "times": "twice"}""", "times")]
    [InlineData("""{"name": "Ada", "color": "blue"}""", "color")]
    [InlineData("""{"times": 2}""", "name")]
    [InlineData("""{"name": null}""", "name")]
    [InlineData("""[1, 2]""", "GreetInput")]
    [InlineData("", "required")]
    public async Task Trigger_BadInput_Returns400ProblemAndRecordsNothing(string body, string named)
    {
        var runId = "bad-" + Guid.NewGuid().ToString("N");

        var response = await PostAsync($"/flows/api/workflows/greet/runs?runId={runId}", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, named);
        var lookup = await Http.GetAsync($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Trigger_InvalidRunId_Returns400Problem()
    {
        var response = await PostAsync("/flows/api/workflows/greet/runs?runId=has%20spaces%21", """{"name":"Ada"}""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "has spaces!");
    }

    [Fact]
    public async Task ListWorkflows_ReturnsRegisteredNames()
    {
        var workflows = await Http.GetFromJsonAsync<JsonElement>("/flows/api/workflows", TestContext.Current.CancellationToken);

        Assert.Equal(["approve", "charge", "greet", "nap", "ship"], workflows.EnumerateArray().Select(w => w.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Failures_TwoRunsFailedAlike_GroupedWithALinkListingExactlyThemAndFoundByTheirErrorText()
    {
        var name = "Mallory-" + Guid.NewGuid().ToString("N")[..8];
        host.Decline(name);
        var first = await TriggerAsync("charge", $$"""{"name":"{{name}}"}""");
        var second = await TriggerAsync("charge", $$"""{"name":"{{name}}","times":2}""");
        await host.WaitForRunAsync(first, r => r.GetProperty("status").GetString() == "Failed");
        await host.WaitForRunAsync(second, r => r.GetProperty("status").GetString() == "Failed");

        var groups = await Http.GetFromJsonAsync<JsonElement>("/flows/api/failures", TestContext.Current.CancellationToken);
        var group = groups.EnumerateArray().Single(g => g.GetProperty("workflow").GetString() == "charge");
        Assert.Equal("charge-card", group.GetProperty("step").GetString());
        Assert.Equal("System.InvalidOperationException", group.GetProperty("errorType").GetString());
        Assert.True(group.GetProperty("count").GetInt32() >= 2);
        var runs = await Http.GetFromJsonAsync<JsonElement>("/flows/api/" + group.GetProperty("runs").GetString(), TestContext.Current.CancellationToken);
        var listed = runs.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToList();
        Assert.Contains(first, listed);
        Assert.Contains(second, listed);

        // The error says "The card of Mallory-… was declined": searching it, in another case, finds both runs and nothing else.
        var found = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs?search={name.ToUpperInvariant()}%20WAS%20DECLINED", TestContext.Current.CancellationToken);
        var ids = found.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Failures_SinceNotATime_Returns400ProblemNamingIt()
    {
        var response = await Http.GetAsync("/flows/api/failures?since=yesterday", TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "since");
    }

    private async Task<string> TriggerAsync(string workflow, string body)
    {
        var response = await PostAsync($"/flows/api/workflows/{workflow}/runs", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

}
