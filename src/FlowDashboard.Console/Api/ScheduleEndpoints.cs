using System.Text.Json;
using System.Text.Json.Serialization;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlowDashboard.Console.Api;

/// <summary>Schedules over HTTP; every handler calls <see cref="IScheduleService"/>, which validates, authorizes and audits.</summary>
internal static class ScheduleEndpoints
{
    private const int HistorySize = 100;

    public static void MapScheduleEndpoints(this IEndpointRouteBuilder api)
    {
        var schedules = api.MapGroup("/schedules");

        schedules.MapGet("", async (IScheduleService service, CancellationToken ct) =>
            Results.Json((await service.ListAsync(ct)).Select(View), FlowJson.Data));

        schedules.MapPost("", async (HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            var body = await ReadAsync(http.Request, ct);
            var name = body.Name ?? throw Invalid("name", "Give the schedule a name.");
            var created = await service.CreateAsync(http.User, name, body.ToDefinition(), ct);
            http.Response.Headers.Location = $"{http.Request.PathBase}/api/schedules/{Uri.EscapeDataString(name)}";
            return Results.Json(View(created), FlowJson.Data, statusCode: StatusCodes.Status201Created);
        });

        schedules.MapGet("/{name}", async (string name, IScheduleService service, CancellationToken ct) =>
            await service.GetAsync(name, ct) is { } schedule ? Results.Json(View(schedule), FlowJson.Data) : throw new ScheduleNotFoundException(name));

        schedules.MapPut("/{name}", async (string name, HttpContext http, IScheduleService service, CancellationToken ct) =>
            Results.Json(View(await service.UpdateAsync(http.User, name, (await ReadAsync(http.Request, ct)).ToDefinition(), ct)), FlowJson.Data));

        schedules.MapDelete("/{name}", async (string name, HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(http.User, name, ct);
            return Results.NoContent();
        });

        schedules.MapPost("/{name}/pause", async (string name, HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            await service.PauseAsync(http.User, name, ct);
            return Results.Json(View((await service.GetAsync(name, ct))!), FlowJson.Data);
        });

        schedules.MapPost("/{name}/resume", async (string name, HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            await service.ResumeAsync(http.User, name, ct);
            return Results.Json(View((await service.GetAsync(name, ct))!), FlowJson.Data);
        });

        schedules.MapPost("/{name}/trigger", async (string name, HttpContext http, IScheduleService service, CancellationToken ct) =>
            Results.Json(new { runId = await service.TriggerAsync(http.User, name, ct) }, FlowJson.Data, statusCode: StatusCodes.Status202Accepted));

        schedules.MapPost("/{name}/backfill", async (string name, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            if (from is null || to is null) throw Invalid(from is null ? "from" : "to", "Give the range as ?from=...&to=... in ISO 8601.");
            return Results.Json(await service.BackfillAsync(http.User, name, from.Value, to.Value, ct), FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
        });

        schedules.MapGet("/{name}/runs", async (string name, IScheduleService service, CancellationToken ct) =>
        {
            if (await service.GetAsync(name, ct) is null) throw new ScheduleNotFoundException(name);
            var runs = await service.RunsAsync(name, HistorySize, ct);
            return Results.Json(runs.Select(r => new { runId = r.RunId, status = r.Status, createdAt = r.CreatedAt, completedAt = r.CompletedAt }), FlowJson.Data);
        });
    }

    private static object View(ScheduleInfo schedule) => new
    {
        name = schedule.Name,
        workflow = schedule.Definition.Workflow,
        cron = schedule.Definition.Cron,
        timeZone = schedule.Definition.TimeZone,
        input = JsonDocument.Parse(schedule.Definition.Input).RootElement,
        enabled = schedule.Definition.Enabled,
        misfire = schedule.Definition.Misfire,
        description = schedule.Description,
        nextFireAt = schedule.NextFireAt,
        lastRun = schedule.LastRun is { } run ? new { runId = run.RunId, status = run.Status, createdAt = run.CreatedAt } : null,
        createdAt = schedule.CreatedAt,
        updatedAt = schedule.UpdatedAt,
    };

    private static async Task<ScheduleBody> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<ScheduleBody>(request.Body, Strict, ct)
                ?? throw Invalid("", "Send the schedule as a JSON object.");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "";
            throw Invalid(field, ex.Message.Split(" Path:")[0]);
        }
    }

    private static InvalidScheduleException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private static readonly JsonSerializerOptions Strict = new(FlowJson.Data) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>The JSON a client sends to create or replace a schedule; <c>input</c> is any JSON value.</summary>
    private sealed record ScheduleBody(
        string? Name, string? Workflow, string? Cron, string? TimeZone, JsonElement? Input, bool? Enabled, MisfirePolicy? Misfire)
    {
        public ScheduleDefinition ToDefinition() => new()
        {
            Workflow = Workflow ?? "",
            Cron = Cron ?? "",
            TimeZone = TimeZone ?? "UTC",
            Input = Input is { } input ? input.GetRawText() : "null",
            Enabled = Enabled ?? true,
            Misfire = Misfire ?? MisfirePolicy.Skip,
        };
    }
}
