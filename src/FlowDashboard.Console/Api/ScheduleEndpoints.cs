using System.Text.Json;
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

        // The range is read as text: a bound DateTimeOffset that does not parse is a 400 with no body, not a ProblemDetails.
        schedules.MapPost("/{name}/backfill", async (string name, string? from, string? to, HttpContext http, IScheduleService service, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var (start, end) = (QueryValues.Time(from, "from", errors), QueryValues.Time(to, "to", errors));
            if (start is null && !errors.ContainsKey("from")) errors["from"] = ["Give the range's start as ?from=... in ISO 8601."];
            if (end is null && !errors.ContainsKey("to")) errors["to"] = ["Give the range's end as ?to=... in ISO 8601."];
            if (errors.Count > 0) throw new InvalidScheduleException(errors);
            return Results.Json(await service.BackfillAsync(http.User, name, start!.Value, end!.Value, ct), FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
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

    private static Task<ScheduleBody> ReadAsync(HttpRequest request, CancellationToken ct) =>
        JsonBody.ReadAsync<ScheduleBody>(request, """the schedule: {"name", "workflow", "cron", "timeZone", "input", "enabled", "misfire"}""", ct);

    private static InvalidScheduleException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The JSON a client sends to create or replace a schedule; <c>input</c> is any JSON value.</summary>
    private sealed record ScheduleBody(
        string? Name = null, string? Workflow = null, string? Cron = null, string? TimeZone = null, JsonElement? Input = null, bool? Enabled = null,
        MisfirePolicy? Misfire = null)
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
