using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;

namespace FlowDashboard.Console.Tests.Api;

/// <summary>The schedule endpoints against a real host (Kestrel, SQLite, Hangfire); each test names its schedules with a token of its own.</summary>
public sealed class ScheduleEndpointsTests(ApiHost host) : IClassFixture<ApiHost>
{
    // Fires once a year: a schedule that must start no run by itself while a test looks at its runs.
    private const string Yearly = "0 0 1 1 *";

    private readonly string token = "s" + Guid.NewGuid().ToString("N")[..12];

    private HttpClient Http => host.Http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ValidSchedule_Returns201WithLocationAndEveryField()
    {
        var response = await PostJsonAsync("/flows/api/schedules", JsonSerializer.Serialize(new
        {
            name = token,
            workflow = "greet",
            cron = "30 9 * * 1-5",
            timeZone = "Europe/Berlin",
            input = new { name = "Ada", times = 2 },
            misfire = "FireOnce",
        }));

        var schedule = await ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/flows/api/schedules/{token}", response.Headers.Location?.OriginalString);
        Assert.Equal(token, schedule.GetProperty("name").GetString());
        Assert.Equal("greet", schedule.GetProperty("workflow").GetString());
        Assert.Equal("30 9 * * 1-5", schedule.GetProperty("cron").GetString());
        Assert.Equal("Europe/Berlin", schedule.GetProperty("timeZone").GetString());
        Assert.Equal("Ada", schedule.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal(2, schedule.GetProperty("input").GetProperty("times").GetInt32());
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
        Assert.Equal("FireOnce", schedule.GetProperty("misfire").GetString());
        Assert.Equal("At 09:30, Monday through Friday", schedule.GetProperty("description").GetString());
        var next = schedule.GetProperty("nextFireAt").GetDateTimeOffset();
        var berlin = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal((9, 30), (berlin.Hour, berlin.Minute));
        Assert.InRange(berlin.DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday);
        Assert.InRange(next, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(4));
    }

    [Fact]
    public async Task GetAndList_CreatedSchedule_ReturnTheSameSchedule()
    {
        var created = await CreateAsync(token, Yearly);

        var one = await GetAsync(token);
        var list = await Http.GetFromJsonAsync<JsonElement>("/flows/api/schedules", Ct);

        Assert.Equal(created.GetProperty("cron").GetString(), one.GetProperty("cron").GetString());
        Assert.Equal("greet", one.GetProperty("workflow").GetString());
        Assert.Equal("UTC", one.GetProperty("timeZone").GetString());
        Assert.Equal("Skip", one.GetProperty("misfire").GetString());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("lastRun").ValueKind);
        var listed = Assert.Single(list.EnumerateArray(), s => s.GetProperty("name").GetString() == token);
        Assert.Equal(one.GetProperty("nextFireAt").GetDateTimeOffset(), listed.GetProperty("nextFireAt").GetDateTimeOffset());
        var names = list.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Update_NewCadence_ChangesCronDescriptionAndNextFire()
    {
        var before = await CreateAsync(token, "0 3 * * *");

        var response = await Http.PutAsync($"/flows/api/schedules/{token}", Json(Definition("30 9 * * 1-5", timeZone: "Europe/Berlin")), Ct);

        var after = await ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("Every day at 03:00", before.GetProperty("description").GetString());
        Assert.Equal("At 09:30, Monday through Friday", after.GetProperty("description").GetString());
        Assert.Equal("30 9 * * 1-5", after.GetProperty("cron").GetString());
        Assert.Equal("Europe/Berlin", after.GetProperty("timeZone").GetString());
        Assert.NotEqual(before.GetProperty("nextFireAt").GetDateTimeOffset(), after.GetProperty("nextFireAt").GetDateTimeOffset());
        Assert.Equal("At 09:30, Monday through Friday", (await GetAsync(token)).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Pause_EnabledSchedule_DisablesItWithNoNextFire()
    {
        await CreateAsync(token, Yearly);

        var response = await Http.PostAsync($"/flows/api/schedules/{token}/pause", null, Ct);

        var paused = await ReadAsync(response, HttpStatusCode.OK);
        Assert.False(paused.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextFireAt").ValueKind);
        var read = await GetAsync(token);
        Assert.False(read.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("nextFireAt").ValueKind);
    }

    [Fact]
    public async Task Resume_PausedSchedule_EnablesItWithItsNextFire()
    {
        await CreateAsync(token, Yearly);
        await ReadAsync(await Http.PostAsync($"/flows/api/schedules/{token}/pause", null, Ct), HttpStatusCode.OK);

        var response = await Http.PostAsync($"/flows/api/schedules/{token}/resume", null, Ct);

        var resumed = await ReadAsync(response, HttpStatusCode.OK);
        Assert.True(resumed.GetProperty("enabled").GetBoolean());
        var nextYear = new DateTimeOffset(DateTimeOffset.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(nextYear, resumed.GetProperty("nextFireAt").GetDateTimeOffset());
        Assert.True((await GetAsync(token)).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Trigger_Twice_Returns202WithTwoRunsListedNewestFirst()
    {
        await CreateAsync(token, Yearly);

        var first = await TriggerAsync(token);
        var second = await TriggerAsync(token);

        Assert.NotEqual(first, second);
        Assert.StartsWith(token, first, StringComparison.Ordinal);
        var runs = await host.WaitForJsonAsync($"/flows/api/schedules/{token}/runs",
            r => r.EnumerateArray().All(run => run.GetProperty("status").GetString() == "Completed"));
        Assert.Equal([second, first], runs.EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal(second, (await GetAsync(token)).GetProperty("lastRun").GetProperty("runId").GetString());
        var run = await host.WaitForRunAsync(first, r => r.GetProperty("status").GetString() == "Completed");
        Assert.Equal("schedule", run.GetProperty("source").GetString());
        Assert.Equal("Hello, Ada!", run.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Schedule_EverySecond_StartsRunsWithinSeconds()
    {
        await CreateAsync(token, "* * * * * *");
        try
        {
            var runs = await host.WaitForJsonAsync($"/flows/api/schedules/{token}/runs", r => r.GetArrayLength() >= 2, TimeSpan.FromSeconds(15));

            var ids = runs.EnumerateArray().Select(r => r.GetProperty("runId").GetString()!).ToList();
            Assert.All(ids, id => Assert.StartsWith($"{token}:", id, StringComparison.Ordinal));
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        }
        finally
        {
            await Http.DeleteAsync($"/flows/api/schedules/{token}", Ct);
        }
    }

    [Fact]
    public async Task Backfill_LastThreeHoursOfAnHourlySchedule_StartsThreeRunsThenFindsThemThere()
    {
        await CreateAsync(token, "0 * * * *");
        var to = DateTimeOffset.UtcNow;
        var range = $"from={Iso(to.AddHours(-3))}&to={Iso(to)}";

        var first = await ReadAsync(await Http.PostAsync($"/flows/api/schedules/{token}/backfill?{range}", null, Ct), HttpStatusCode.Accepted);
        var again = await ReadAsync(await Http.PostAsync($"/flows/api/schedules/{token}/backfill?{range}", null, Ct), HttpStatusCode.Accepted);

        Assert.Equal((3, 0), (first.GetProperty("started").GetInt32(), first.GetProperty("alreadyThere").GetInt32()));
        Assert.Equal((0, 3), (again.GetProperty("started").GetInt32(), again.GetProperty("alreadyThere").GetInt32()));
        var runs = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/schedules/{token}/runs", Ct);
        var hours = Enumerable.Range(0, 3).Select(h => new DateTimeOffset(to.Year, to.Month, to.Day, to.Hour, 0, 0, TimeSpan.Zero).AddHours(-h));
        // The hourly schedule may also have fired by itself meanwhile, for an hour after the range.
        Assert.Subset(runs.EnumerateArray().Select(r => r.GetProperty("runId").GetString()!).ToHashSet(),
            hours.Select(h => $"{token}:{h.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}").ToHashSet());
    }

    [Fact]
    public async Task Delete_Schedule_Returns204ThenGet404AndItsRunsStay()
    {
        await CreateAsync(token, Yearly);
        var runId = await TriggerAsync(token);
        await host.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        var response = await Http.DeleteAsync($"/flows/api/schedules/{token}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ApiAssert.ProblemAsync(await Http.GetAsync($"/flows/api/schedules/{token}", Ct), HttpStatusCode.NotFound, token);
        Assert.DoesNotContain(token, await NamesAsync());
        var runs = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs?search={token}", Ct);
        Assert.Equal([runId], runs.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
    }

    [Theory]
    [InlineData("""{"cron":"61 * * * *"}""", "cron", "between 0 and 59")]
    [InlineData("""{"cron":"* * * *"}""", "cron", "has 4")]
    [InlineData("""{"timeZone":"Mars/Olympus_Mons"}""", "timeZone", "Mars/Olympus_Mons")]
    [InlineData("""{"workflow":"no-such-workflow"}""", "workflow", "no-such-workflow")]
    [InlineData("""{"input":{"times":2}}""", "input", "name")]
    [InlineData("""{"input":"Ada"}""", "input", "Expected an object")]
    [InlineData("""{"name":"with spaces"}""", "name", "letters")]
    [InlineData("""{"colour":"red"}""", "colour", "colour")]
    [InlineData("""{"enabled":"yes"}""", "enabled", "true or false")]
    public async Task Create_BadMember_Returns400ProblemNamingItAndSavesNothing(string change, string field, string mentions)
    {
        var body = JsonSerializer.SerializeToNode(new { name = token, workflow = "greet", cron = Yearly, input = new { name = "Ada" } })!.AsObject();
        foreach (var (member, value) in JsonDocument.Parse(change).RootElement.EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            body[member] = System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText());
        }

        var before = await NamesAsync();

        var response = await PostJsonAsync("/flows/api/schedules", body.ToJsonString());

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, field);
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains(mentions, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await NamesAsync());
    }

    [Fact]
    public async Task Create_DuplicateName_Returns400ProblemAndKeepsTheFirst()
    {
        await CreateAsync(token, Yearly);
        var before = await NamesAsync();

        var response = await PostJsonAsync("/flows/api/schedules", Body(token, "* * * * *"));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "exists already");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
        Assert.Equal(before, await NamesAsync());
        Assert.Equal(Yearly, (await GetAsync(token)).GetProperty("cron").GetString());
    }

    [Fact]
    public async Task Create_FourAtOnceWithOneName_OneIs201AndEveryOtherThe400OfADuplicate()
    {
        // Five rounds: the loser's insert has to fall between the winner's look and its insert for the race to show.
        for (var round = 0; round < 5; round++)
        {
            var name = $"{token}-{round}";
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostJsonAsync("/flows/api/schedules", Body(name, Yearly))));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                var problem = await ApiAssert.ProblemAsync(refused, HttpStatusCode.BadRequest, "exists already");
                Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
            }
        }

        Assert.Equal(5, (await NamesAsync()).Count(n => n.StartsWith(token, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"name":""")]
    [InlineData("""{"name":"x",}""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Create_MalformedJson_Returns400ProblemAndSavesNothing(string body)
    {
        var before = await NamesAsync();

        var response = await PostJsonAsync("/flows/api/schedules", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
        Assert.Equal(before, await NamesAsync());
    }

    [Fact]
    public async Task Update_BadCron_Returns400ProblemAndKeepsTheSchedule()
    {
        await CreateAsync(token, Yearly);

        var response = await Http.PutAsync($"/flows/api/schedules/{token}", Json(Definition("* * * *")), Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "has 4");
        Assert.True(problem.GetProperty("errors").TryGetProperty("cron", out _), problem.ToString());
        Assert.Equal(Yearly, (await GetAsync(token)).GetProperty("cron").GetString());
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    [InlineData("POST", "/trigger")]
    [InlineData("GET", "/runs")]
    public async Task UnknownSchedule_AnyAction_Returns404Problem(string method, string action)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/flows/api/schedules/{token}{action}");
        if (method == "PUT") request.Content = Json(Definition(Yearly));

        var response = await Http.SendAsync(request, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, token);
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("to=2026-01-02T00:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z", "to")]
    public async Task Backfill_WithoutRange_Returns400ProblemNamingTheMissingEnd(string query, string missing)
    {
        await CreateAsync(token, Yearly);

        var response = await Http.PostAsync($"/flows/api/schedules/{token}/backfill?{query}", null, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, missing);
        Assert.True(problem.GetProperty("errors").TryGetProperty(missing, out _), problem.ToString());
        Assert.Empty(await Http.GetFromJsonAsync<JsonElement[]>($"/flows/api/schedules/{token}/runs", Ct) ?? []);
    }

    private async Task<JsonElement> CreateAsync(string name, string cron) =>
        await ReadAsync(await PostJsonAsync("/flows/api/schedules", Body(name, cron)), HttpStatusCode.Created);

    private async Task<string> TriggerAsync(string name)
    {
        var body = await ReadAsync(await Http.PostAsync($"/flows/api/schedules/{name}/trigger", null, Ct), HttpStatusCode.Accepted);
        return body.GetProperty("runId").GetString()!;
    }

    private async Task<JsonElement> GetAsync(string name) =>
        await ReadAsync(await Http.GetAsync($"/flows/api/schedules/{name}", Ct), HttpStatusCode.OK);

    private async Task<List<string>> NamesAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>("/flows/api/schedules", Ct)).EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {status}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Body(string name, string cron) =>
        JsonSerializer.Serialize(new { name, workflow = "greet", cron, input = new { name = "Ada" } });

    private static string Definition(string cron, string timeZone = "UTC") =>
        JsonSerializer.Serialize(new { workflow = "greet", cron, timeZone, input = new { name = "Ada" } });

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostJsonAsync(string path, string body) => Http.PostAsync(path, Json(body), Ct);
}
