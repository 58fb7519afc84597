using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Api;

/// <summary>
/// Every endpoint of the API, sent what a careless or hostile client sends: malformed, truncated, wrong types,
/// wrong content types, huge, deeply nested, control characters, dot segments, unknown enum values, a cron that
/// never fires. Each answer must be a 4xx <c>application/problem+json</c> that names what was wrong, and the store
/// must be exactly as it was (every row of every table compared before and after).
/// </summary>
public sealed class BadInputTests(BadInputTests.SeededHost host) : IClassFixture<BadInputTests.SeededHost>
{
    private const string Flows = "/flows/api";

    /// <summary>The cases by name; each is one test.</summary>
    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    private static readonly Dictionary<string, Case> Cases = new[]
    {
        // Triggering a run.
        Post("trigger: truncated JSON", $"{Flows}/workflows/greet/runs", """{"name":""", 400, "JSON"),
        Post("trigger: garbage after the JSON", $"{Flows}/workflows/greet/runs", """{"name":"a"} x""", 400, "JSON"),
        Raw("trigger: bytes that are not UTF-8", "POST", $"{Flows}/workflows/greet/runs", () => Bytes([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], "application/json"), 400, "JSON"),
        Post("trigger: a raw control character in a string", $"{Flows}/workflows/greet/runs", "{\"name\":\"a\u0001b\"}", 400, "JSON"),
        Post("trigger: nested 200 deep", $"{Flows}/workflows/greet/runs", new string('[', 200) + new string(']', 200), 400, "depth"),
        Post("trigger: a number sent as a string", $"{Flows}/workflows/greet/runs", """{"name":"a","times":"7"}""", 400, "times"),
        Post("trigger: a string sent as a number", $"{Flows}/workflows/greet/runs", """{"name":7}""", 400, "name"),
        Post("trigger: a fraction for a whole number", $"{Flows}/workflows/greet/runs", """{"name":"a","times":1.5}""", 400, "times"),
        Post("trigger: a number too large", $"{Flows}/workflows/greet/runs", """{"name":"a","times":99999999999}""", 400, "times"),
        Post("trigger: an unknown member", $"{Flows}/workflows/greet/runs", """{"name":"a","colour":"red"}""", 400, "colour"),
        Post("trigger: a required member missing", $"{Flows}/workflows/greet/runs", "{}", 400, "name"),
        Post("trigger: null for a required member", $"{Flows}/workflows/greet/runs", """{"name":null}""", 400, "name"),
        Post("trigger: null input", $"{Flows}/workflows/greet/runs", "null", 400, "GreetInput"),
        Raw("trigger: no body", "POST", $"{Flows}/workflows/greet/runs", () => null, 400, "GreetInput"),
        Post("trigger: an array for an object", $"{Flows}/workflows/greet/runs", "[1]", 400, "object"),
        Post("trigger: an enum by number", $"{Flows}/workflows/ship/runs", """{"orderId":"o","quantity":1,"speed":1}""", 400, "speed"),
        Post("trigger: an unknown enum name", $"{Flows}/workflows/ship/runs", """{"orderId":"o","quantity":1,"speed":"Warp"}""", 400, "speed"),
        Post("trigger: out of its range", $"{Flows}/workflows/ship/runs", """{"orderId":"o","quantity":0}""", 400, "quantity"),
        Post("trigger: text/plain", $"{Flows}/workflows/greet/runs", """{"name":"a"}""", 415, "Content-Type", "text/plain"),
        Raw("trigger: no content type", "POST", $"{Flows}/workflows/greet/runs", () => Bytes(Encoding.UTF8.GetBytes("""{"name":"a"}"""), null), 415, "Content-Type"),
        Post("trigger: a form", $"{Flows}/workflows/greet/runs", "name=a", 415, "Content-Type", "application/x-www-form-urlencoded"),
        Post("trigger: XML", $"{Flows}/workflows/greet/runs", "<name>a</name>", 415, "Content-Type", "application/xml"),
        Post("trigger: JSON in UTF-16", $"{Flows}/workflows/greet/runs", """{"name":"a"}""", 415, "charset", "application/json; charset=utf-16"),
        Raw("trigger: chunked text/plain", "POST", $"{Flows}/workflows/greet/runs", () => Chunked("""{"name":"a"}""", "text/plain"), 415, "Content-Type"),
        Raw("trigger: 40 MB", "POST", $"{Flows}/workflows/greet/runs", () => Huge(), 413, "too large") with { ExpectContinue = true },
        Post("trigger: run id '..'", $"{Flows}/workflows/greet/runs?runId=..", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id '.'", $"{Flows}/workflows/greet/runs?runId=.", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id with a slash", $"{Flows}/workflows/greet/runs?runId=a%2Fb", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id of 101 characters", $"{Flows}/workflows/greet/runs?runId={new string('r', 101)}", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id with a space", $"{Flows}/workflows/greet/runs?runId=a%20b", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id with a NUL", $"{Flows}/workflows/greet/runs?runId=a%00b", """{"name":"a"}""", 400, "runId"),
        Post("trigger: run id with an accent", $"{Flows}/workflows/greet/runs?runId=caf%C3%A9", """{"name":"a"}""", 400, "runId"),
        Post("trigger: unknown workflow", $"{Flows}/workflows/no-such-workflow/runs", """{"name":"a"}""", 404, "no-such-workflow"),
        Post("trigger: run id of another workflow's run", $"{Flows}/workflows/nap/runs?runId={SeededHost.Completed}", """{"name":"a"}""", 409, "greet"),

        // Triggering a batch: all or nothing.
        Post("batch: an object, not an array", $"{Flows}/workflows/greet/runs/batch", """{"input":{"name":"a"}}""", 400, "array"),
        Post("batch: empty", $"{Flows}/workflows/greet/runs/batch", "[]", 400, "array"),
        Post("batch: 1,001 items", $"{Flows}/workflows/greet/runs/batch", "[" + string.Join(',', Enumerable.Repeat("""{"input":{"name":"a"}}""", 1001)) + "]", 400, "1000"),
        Post("batch: an item that is not an object", $"{Flows}/workflows/greet/runs/batch", "[1]", 400, "[0]"),
        Post("batch: an item without input", $"{Flows}/workflows/greet/runs/batch", """[{"runId":"b-1"}]""", 400, "[0].input"),
        Post("batch: an item with an unknown member", $"{Flows}/workflows/greet/runs/batch", """[{"input":{"name":"a"},"extra":1}]""", 400, "[0].extra"),
        Post("batch: a run id that is a number", $"{Flows}/workflows/greet/runs/batch", """[{"runId":5,"input":{"name":"a"}}]""", 400, "[0].runId"),
        Post("batch: the second run id has a slash", $"{Flows}/workflows/greet/runs/batch", """[{"input":{"name":"a"}},{"runId":"a/b","input":{"name":"b"}}]""", 400, "[1].runId"),
        Post("batch: a run id '..'", $"{Flows}/workflows/greet/runs/batch", """[{"runId":"..","input":{"name":"a"}}]""", 400, "[0].runId"),
        Post("batch: one run id twice", $"{Flows}/workflows/greet/runs/batch", """[{"runId":"twice","input":{"name":"a"}},{"runId":"twice","input":{"name":"b"}}]""", 400, "[1].runId"),
        Post("batch: the second input does not bind", $"{Flows}/workflows/greet/runs/batch", """[{"input":{"name":"a"}},{"input":{"name":"b","times":"2"}}]""", 400, "[1].input.times"),
        Post("batch: a run id of another workflow's run", $"{Flows}/workflows/nap/runs/batch", $$$"""[{"input":{"name":"a"}},{"runId":"{{{SeededHost.Completed}}}","input":{"name":"b"}}]""", 409, "[1]"),
        Post("batch: text/plain", $"{Flows}/workflows/greet/runs/batch", """[{"input":{"name":"a"}}]""", 415, "Content-Type", "text/plain"),
        Raw("batch: chunked, the second input invalid", "POST", $"{Flows}/workflows/greet/runs/batch", () => Chunked("""[{"input":{"name":"a"}},{"input":{}}]""", "application/json"), 400, "[1].input.name"),

        // Notifying an event.
        Post("notify: a misspelt member", $"{Flows}/events/{SeededHost.ShipEvent}?runId={SeededHost.Shipping}", """{"approve":true,"by":"ada"}""", 400, "approve"),
        Post("notify: an empty object", $"{Flows}/events/{SeededHost.ShipEvent}?runId={SeededHost.Shipping}", "{}", 400, "approved"),
        Post("notify: a string for true or false", $"{Flows}/events/{SeededHost.ShipEvent}?runId={SeededHost.Shipping}", """{"approved":"yes","by":"ada"}""", 400, "true or false"),
        Raw("notify: no payload where one is expected", "POST", $"{Flows}/events/{SeededHost.ShipEvent}?runId={SeededHost.Shipping}", () => null, 400, "Approval"),
        Post("notify: an unknown run", $"{Flows}/events/e?runId=no-such-run", "{}", 404, "no-such-run"),
        Post("notify: a finished run", $"{Flows}/events/e?runId={SeededHost.Completed}", "{}", 409, "Completed"),
        Post("notify: text/plain", $"{Flows}/events/e", "{}", 415, "Content-Type", "text/plain"),
        Post("notify: malformed", $"{Flows}/events/e", "{not json", 400, "JSON"),
        Post("notify: an event id of 501 characters", $"{Flows}/events/{new string('e', 501)}", "{}", 400, "eventId"),
        Post("notify: an event id with a control character", $"{Flows}/events/a%01b", "{}", 400, "eventId"),

        // Listing runs.
        Get("list: a NUL in the search", $"{Flows}/runs?search=a%00bc", 400, "search"),
        Get("list: a control character in the search", $"{Flows}/runs?search=a%01bc", 400, "search"),
        Get("list: a NUL in the workflow", $"{Flows}/runs?workflow=greet%00", 400, "workflow"),
        Get("list: a status by number", $"{Flows}/runs?status=1", 400, "status"),
        Get("list: an unknown status", $"{Flows}/runs?status=Exploded", 400, "status"),
        Get("list: a from that is no time", $"{Flows}/runs?from=yesterday", 400, "from"),
        Get("list: a to that is no time", $"{Flows}/runs?to=2026-13-45", 400, "to"),
        Get("list: a negative page size", $"{Flows}/runs?pageSize=-1", 400, "pageSize"),
        Get("list: a huge page size", $"{Flows}/runs?pageSize=99999999999999", 400, "pageSize"),
        Get("list: a cursor that is not one", $"{Flows}/runs?cursor=%00%00", 400, "cursor"),

        // Acting on one run.
        Get("run: unknown", $"{Flows}/runs/no-such-run", 404, "no-such-run"),
        Post("cancel: a finished run", $"{Flows}/runs/{SeededHost.Completed}/cancel", null, 409, "Completed"),
        Post("cancel: an unknown run", $"{Flows}/runs/no-such-run/cancel", null, 404, "no-such-run"),
        Post("retry: a step of a completed run", $"{Flows}/runs/{SeededHost.Completed}/steps/compose/retry", null, 409, "failed"),
        Post("retry: an unknown step", $"{Flows}/runs/{SeededHost.Failed}/steps/no-such-step/retry", null, 404, "no-such-step"),
        Post("resume: a run that has not failed", $"{Flows}/runs/{SeededHost.Sleeping}/resume", null, 409, "Sleeping"),
        Post("restart: an unknown run", $"{Flows}/runs/no-such-run/restart", null, 404, "no-such-run"),
        Raw("delete: an unfinished run", "DELETE", $"{Flows}/runs/{SeededHost.Sleeping}", () => null, 409, "cancel it"),
        Raw("delete: an unknown run", "DELETE", $"{Flows}/runs/no-such-run", () => null, 404, "no-such-run"),

        // Bulk operations: what to act on comes from the body, and only from it.
        Raw("bulk: no body", "POST", $"{Flows}/runs/bulk/delete", () => null, 400, "body"),
        Raw("bulk: a chunked empty body", "POST", $"{Flows}/runs/bulk/delete", () => Chunked("", "application/json"), 400, "body"),
        Raw("bulk: the list's filter in the query, no body", "POST", $"{Flows}/runs/bulk/cancel?status=Sleeping", () => null, 400, "filter"),
        Post("bulk: an empty object", $"{Flows}/runs/bulk/delete", "{}", 400, "filter"),
        Post("bulk: no run ids", $"{Flows}/runs/bulk/delete", """{"runIds":[]}""", 400, "runIds"),
        Post("bulk: run ids and a filter", $"{Flows}/runs/bulk/delete", """{"runIds":["a"],"filter":{}}""", 400, "either"),
        Post("bulk: an unknown member", $"{Flows}/runs/bulk/delete", """{"ids":["a"]}""", 400, "ids"),
        Post("bulk: run ids that are numbers", $"{Flows}/runs/bulk/delete", """{"runIds":[1,2]}""", 400, "runIds"),
        Post("bulk: a status by number", $"{Flows}/runs/bulk/cancel", """{"filter":{"status":[1]}}""", 400, "filter.status"),
        Post("bulk: an unknown status", $"{Flows}/runs/bulk/cancel", """{"filter":{"status":["Exploded"]}}""", 400, "filter.status"),
        Post("bulk: a from that is no time", $"{Flows}/runs/bulk/cancel", """{"filter":{"from":"yesterday"}}""", 400, "filter.from"),
        Post("bulk: a NUL in the search", $"{Flows}/runs/bulk/cancel", """{"filter":{"search":"a\u0000b"}}""", 400, "filter.search"),
        Post("bulk: text/plain", $"{Flows}/runs/bulk/delete", """{"runIds":["a"]}""", 415, "Content-Type", "text/plain"),
        Post("bulk: an unknown action", $"{Flows}/runs/bulk/explode", """{"runIds":["a"]}""", 404, "explode"),
        Post("bulk: an action by number", $"{Flows}/runs/bulk/1", """{"runIds":["a"]}""", 404, "cancel, resume"),
        Get("bulk: an unknown operation", $"{Flows}/bulk/no-such-bulk", 404, "no-such-bulk"),

        // Schedules.
        Post("schedule: an invalid cron", $"{Flows}/schedules", Schedule(cron: "61 * * * *"), 400, "cron"),
        Post("schedule: a cron that never fires", $"{Flows}/schedules", Schedule(cron: "0 0 31 2 *"), 400, "no fire time"),
        Post("schedule: an unknown time zone", $"{Flows}/schedules", Schedule(extra: "\"timeZone\":\"Mars/Olympus_Mons\""), 400, "timeZone"),
        Post("schedule: misfire by number", $"{Flows}/schedules", Schedule(extra: "\"misfire\":99"), 400, "misfire"),
        Post("schedule: an unknown misfire", $"{Flows}/schedules", Schedule(extra: "\"misfire\":\"Sometimes\""), 400, "misfire"),
        Post("schedule: enabled as a string", $"{Flows}/schedules", Schedule(extra: "\"enabled\":\"yes\""), 400, "enabled"),
        Post("schedule: a name '..'", $"{Flows}/schedules", Schedule(name: ".."), 400, "name"),
        Post("schedule: no name", $"{Flows}/schedules", """{"workflow":"greet","cron":"0 0 1 1 *","input":{"name":"a"}}""", 400, "name"),
        Post("schedule: an input that does not bind", $"{Flows}/schedules", Schedule(input: """{"times":2}"""), 400, "input"),
        Post("schedule: a name taken", $"{Flows}/schedules", Schedule(name: SeededHost.Yearly), 400, "exists"),
        Post("schedule: text/plain", $"{Flows}/schedules", Schedule(), 415, "Content-Type", "text/plain"),
        Post("schedule: malformed", $"{Flows}/schedules", """{"name":""", 400, "JSON"),
        Post("schedule: an unknown member", $"{Flows}/schedules", Schedule(extra: "\"colour\":\"red\""), 400, "colour"),
        Raw("schedule: update an unknown one", "PUT", $"{Flows}/schedules/no-such-schedule", () => Json(Schedule()), 404, "no-such-schedule"),
        Raw("schedule: update to a cron that never fires", "PUT", $"{Flows}/schedules/{SeededHost.Yearly}", () => Json(Schedule(cron: "0 0 30 2 *")), 400, "no fire time"),
        Post("backfill: a from that is no time", $"{Flows}/schedules/{SeededHost.Yearly}/backfill?from=garbage&to=2026-01-01T00:00:00Z", null, 400, "from"),
        Post("backfill: no to", $"{Flows}/schedules/{SeededHost.Yearly}/backfill?from=2026-01-01T00:00:00Z", null, 400, "to"),
        Post("backfill: to before from", $"{Flows}/schedules/{SeededHost.Yearly}/backfill?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, 400, "to"),
        Post("backfill: an unknown schedule", $"{Flows}/schedules/no-such-schedule/backfill?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", null, 404, "no-such-schedule"),
        Post("schedule: pause an unknown one", $"{Flows}/schedules/no-such-schedule/pause", null, 404, "no-such-schedule"),
        Post("schedule: trigger an unknown one", $"{Flows}/schedules/no-such-schedule/trigger", null, 404, "no-such-schedule"),
        Raw("schedule: delete an unknown one", "DELETE", $"{Flows}/schedules/no-such-schedule", () => null, 404, "no-such-schedule"),
        Get("schedule: the runs of an unknown one", $"{Flows}/schedules/no-such-schedule/runs", 404, "no-such-schedule"),

        // Routing.
        Get("routing: another OpenAPI document", $"{Flows}/openapi/other.json", 404, "openapi.json"),
        Get("routing: no such endpoint", $"{Flows}/no/such/endpoint", 404, "no/such/endpoint"),
        Raw("routing: PATCH a run", "PATCH", $"{Flows}/runs/{SeededHost.Completed}", () => Json("{}"), 404, "runs"),
    }.ToDictionary(c => c.Name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Cases_CoverEveryKindOfMistake_AtLeastSixty() => Assert.True(Cases.Count >= 60, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Request_BadInput_Returns4xxProblemNamingItAndChangesNothing(string name)
    {
        var bad = Cases[name];
        var before = await StoreSnapshot.TakeAsync(host.Folder);

        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path) { Content = bad.Content() };

        // A client about to send a huge body asks first, as it should: the refusal then arrives before the body.
        request.Headers.ExpectContinue = bad.ExpectContinue;
        using var response = await host.Http.SendAsync(request, Ct);

        await ApiAssert.ProblemAsync(response, (HttpStatusCode)bad.Status, bad.Mentions);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(host.Folder));
    }

    private static Case Post(string name, string path, string? json, int status, string mentions, string contentType = "application/json") =>
        new(name, "POST", path, () => json is null ? null : Bytes(Encoding.UTF8.GetBytes(json), contentType), status, mentions);

    private static Case Get(string name, string path, int status, string mentions) => new(name, "GET", path, () => null, status, mentions);

    private static Case Raw(string name, string method, string path, Func<HttpContent?> content, int status, string mentions) =>
        new(name, method, path, content, status, mentions);

    private static ByteArrayContent Json(string json) => Bytes(Encoding.UTF8.GetBytes(json), "application/json");

    private static ByteArrayContent Bytes(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>A body sent with <c>Transfer-Encoding: chunked</c> and no Content-Length, as streaming clients send it.</summary>
    private static StreamContent Chunked(string body, string contentType)
    {
        var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static ByteArrayContent Huge()
    {
        var body = new byte[40_000_000];
        Array.Fill(body, (byte)'a');
        "{\"name\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(body.Length - 2));
        return Bytes(body, "application/json");
    }

    private static string Schedule(string name = "new-schedule", string cron = "0 0 1 1 *", string input = """{"name":"a"}""", string? extra = null) =>
        $$"""{"name":"{{name}}","workflow":"greet","cron":"{{cron}}","input":{{input}}""" + (extra is null ? "" : "," + extra) + "}";

    /// <summary>One bad request and the answer it must get.</summary>
    private sealed record Case(string Name, string Method, string Path, Func<HttpContent?> Content, int Status, string Mentions)
    {
        public bool ExpectContinue { get; init; }
    }

    /// <summary>
    /// The API host, seeded with a run in each resting state and a schedule, none of which changes on its own:
    /// a completed, a failed, a sleeping (1 h) and a waiting (1 h) run, and a yearly schedule.
    /// </summary>
    public sealed class SeededHost : ApiHost
    {
        public const string Completed = "seed-completed";
        public const string Failed = "seed-failed";
        public const string Sleeping = "seed-sleeping";
        public const string Shipping = "seed-shipping";
        public const string ShipEvent = "ship-order-7";
        public const string Yearly = "seed-yearly";

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            Decline(Failed);
            await SeedAsync($"/flows/api/workflows/greet/runs?runId={Completed}", $$"""{"name":"{{Completed}}"}""");
            await SeedAsync($"/flows/api/workflows/charge/runs?runId={Failed}", $$"""{"name":"{{Failed}}"}""");
            await SeedAsync($"/flows/api/workflows/nap/runs?runId={Sleeping}", $$"""{"name":"{{Sleeping}}"}""");
            await SeedAsync($"/flows/api/workflows/ship/runs?runId={Shipping}", """{"orderId":"order-7","quantity":2}""");
            await SeedAsync("/flows/api/schedules", $$$"""{"name":"{{{Yearly}}}","workflow":"greet","cron":"0 0 1 1 *","input":{"name":"yearly"}}""");
            await WaitForRunAsync(Completed, r => r.GetProperty("status").GetString() == "Completed");
            await WaitForRunAsync(Failed, r => r.GetProperty("status").GetString() == "Failed");
            await WaitForRunAsync(Sleeping, r => r.GetProperty("status").GetString() == "Sleeping");
            await WaitForRunAsync(Shipping, r => r.GetProperty("status").GetString() == "Waiting");
        }

        private async Task SeedAsync(string path, string json)
        {
            using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
