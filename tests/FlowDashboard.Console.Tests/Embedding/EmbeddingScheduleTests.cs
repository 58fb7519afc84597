using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Console.Tests.Embedding;

/// <summary>Schedules inside the embedding host: its operate policy decides who may change them, and the audit names who did.</summary>
public sealed class EmbeddingScheduleTests(EmbeddingHostFactory host) : IClassFixture<EmbeddingHostFactory>
{
    private const string Yearly = "0 0 1 1 *";

    private readonly string name = "e" + Guid.NewGuid().ToString("N")[..12];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schedules_Viewer_ReadsButGets403ProblemForEveryChange()
    {
        using var operatorClient = host.ClientFor("olga", "ops");
        await AssertStatusAsync(await operatorClient.PostAsync("/flows/api/schedules", Json(Body(name)), Ct), HttpStatusCode.Created);
        using var viewer = host.ClientFor("victor");

        var list = await viewer.GetAsync("/flows/api/schedules", Ct);
        var create = await viewer.PostAsync("/flows/api/schedules", Json(Body(name + "-victor")), Ct);
        var update = await viewer.PutAsync($"/flows/api/schedules/{name}", Json(Definition("* * * * *")), Ct);
        var delete = await viewer.DeleteAsync($"/flows/api/schedules/{name}", Ct);
        var pause = await viewer.PostAsync($"/flows/api/schedules/{name}/pause", null, Ct);
        var trigger = await viewer.PostAsync($"/flows/api/schedules/{name}/trigger", null, Ct);

        await AssertStatusAsync(list, HttpStatusCode.OK);
        foreach (var refused in new[] { create, update, delete, pause, trigger })
        {
            await ApiAssert.ProblemAsync(refused, HttpStatusCode.Forbidden, "flows-operate");
        }

        var schedule = await viewer.GetFromJsonAsync<JsonElement>($"/flows/api/schedules/{name}", Ct);
        Assert.Equal(Yearly, schedule.GetProperty("cron").GetString());
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
        Assert.Empty(await viewer.GetFromJsonAsync<JsonElement[]>($"/flows/api/schedules/{name}/runs", Ct) ?? []);
        await ApiAssert.ProblemAsync(await viewer.GetAsync($"/flows/api/schedules/{name}-victor", Ct), HttpStatusCode.NotFound, name);
        Assert.All(await HistoryAsync(), entry => Assert.Equal("olga", entry.Actor));
    }

    [Fact]
    public async Task Schedules_Operator_ChangesThemAndTheHistoryNamesTheOperator()
    {
        using var client = host.ClientFor("olga", "ops");

        await AssertStatusAsync(await client.PostAsync("/flows/api/schedules", Json(Body(name)), Ct), HttpStatusCode.Created);
        await AssertStatusAsync(await client.PutAsync($"/flows/api/schedules/{name}", Json(Definition("0 9 * * *")), Ct), HttpStatusCode.OK);
        await AssertStatusAsync(await client.PostAsync($"/flows/api/schedules/{name}/pause", null, Ct), HttpStatusCode.OK);
        await AssertStatusAsync(await client.PostAsync($"/flows/api/schedules/{name}/resume", null, Ct), HttpStatusCode.OK);
        var trigger = await client.PostAsync($"/flows/api/schedules/{name}/trigger", null, Ct);
        await AssertStatusAsync(trigger, HttpStatusCode.Accepted);
        await AssertStatusAsync(await client.DeleteAsync($"/flows/api/schedules/{name}", Ct), HttpStatusCode.NoContent);

        var history = await HistoryAsync();
        Assert.Equal(["delete-schedule", "trigger-schedule", "resume-schedule", "pause-schedule", "edit-schedule", "create-schedule"], history.Select(e => e.Action));
        Assert.All(history, entry => Assert.Equal("olga", entry.Actor));
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString()!;
        Assert.Contains(runId, history[1].Detail, StringComparison.Ordinal);

        // The edit says what it changed, before and after, and only that.
        Assert.Equal($"cron: '{Yearly}' → '0 9 * * *'", history[4].Detail);
    }

    private async Task<IReadOnlyList<AuditEntryInfo>> HistoryAsync() =>
        await host.Services.GetRequiredService<IScheduleService>().HistoryAsync(name, Ct);

    private static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {status}, got {response.StatusCode}: {text}");
    }

    private static string Body(string name) => JsonSerializer.Serialize(new { name, workflow = "ping", cron = Yearly, input = new { name = "olga" } });

    private static string Definition(string cron) => JsonSerializer.Serialize(new { workflow = "ping", cron, input = new { name = "olga" } });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
