using System.Text.Json;
using FlowDashboard.Engine;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlowDashboard.Console.Api;

/// <summary>Operator actions over HTTP; each calls <see cref="IOperationsService"/>, which authorizes and audits.</summary>
internal static class OperationEndpoints
{
    private const int MaxEventId = 500;

    public static void MapOperationEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/runs/{runId}/cancel", async (string runId, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            await operations.CancelAsync(http.User, runId, ct);
            return Accepted(new { runId });
        });

        api.MapPost("/runs/{runId}/steps/{step}/retry", async (string runId, string step, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            await operations.RetryStepAsync(http.User, runId, step, ct);
            return Accepted(new { runId, step });
        });

        api.MapPost("/runs/{runId}/resume", async (string runId, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            await operations.ResumeAsync(http.User, runId, ct);
            return Accepted(new { runId });
        });

        api.MapPost("/runs/{runId}/restart", async (string runId, HttpContext http, IOperationsService operations, CancellationToken ct) =>
            Accepted(new { runId = await operations.RestartAsync(http.User, runId, ct), restartOf = runId }));

        api.MapPost("/runs/{runId}/rerun", async (string runId, HttpRequest request, IOperationsService operations, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<RerunRequest>(request, RerunRequest.Shape, ct);
            var input = body.Input is { ValueKind: not JsonValueKind.Null } edited ? edited : (JsonElement?)null;
            var started = await operations.RerunAsync(request.HttpContext.User, runId, body.FromStep, input, ct);
            request.HttpContext.Response.Headers.Location = $"{request.PathBase}/api/runs/{Uri.EscapeDataString(started)}";
            return Accepted(new { runId = started, rerunOf = runId, fromStep = body.FromStep });
        });

        api.MapDelete("/runs/{runId}", async (string runId, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            await operations.DeleteAsync(http.User, runId, ct);
            return Results.NoContent();
        });

        api.MapPost("/runs/bulk/{action}", StartBulkAsync);

        api.MapPost("/events/{eventId}", async (string eventId, string? runId, HttpRequest request, IOperationsService operations, CancellationToken ct) =>
        {
            if (eventId.Length > MaxEventId || eventId.Any(char.IsControl))
            {
                throw new ApiRequestException("eventId", $"An event id is 1 to {MaxEventId} characters, none of them control characters.");
            }

            var payload = await JsonBody.ReadAsync(request, ct) ?? JsonSerializer.SerializeToElement<object?>(null);
            var result = await operations.NotifyAsync(request.HttpContext.User, eventId, payload, string.IsNullOrEmpty(runId) ? null : runId, ct);
            return Accepted(new
            {
                eventId,
                woken = result.Woken,
                kept = result.Kept,
                refused = result.Refused.Select(r => new { runId = r.RunId, step = r.Step, errors = r.Errors }),
            });
        });

        api.MapPost("/workflows/{workflow}/pause", async (string workflow, string? key, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            var paused = await operations.PauseWorkflowAsync(http.User, workflow, string.IsNullOrEmpty(key) ? null : key, ct);
            return Results.Json(new { workflow, key, paused = true, alreadyPaused = !paused }, FlowJson.Data);
        });

        api.MapPost("/workflows/{workflow}/resume", async (string workflow, string? key, HttpContext http, IOperationsService operations, CancellationToken ct) =>
            Results.Json(new { workflow, key, released = await operations.ResumeWorkflowAsync(http.User, workflow, string.IsNullOrEmpty(key) ? null : key, ct) }, FlowJson.Data));

        api.MapGet("/pauses", async (IRunQueryService queries, CancellationToken ct) => Results.Json(await queries.PausesAsync(ct), FlowJson.Data));

        api.MapGet("/bulk/{id}", async (string id, IOperationsService operations, CancellationToken ct) =>
            await operations.GetBulkAsync(id, ct) is { } bulk ? Results.Json(bulk, FlowJson.Data) : ProblemMapping.NotFound($"No bulk operation with id '{id}' exists."));
    }

    /// <summary>
    /// <c>POST /runs/bulk/{cancel|resume|restart|delete}</c> with <c>{"runIds": [...]}</c> or <c>{"filter": {...}}</c>.
    /// What to act on is read from the body, and only from it: a request without one, or with one that does not say,
    /// acts on nothing. The answer echoes the filter with the number of runs it matched.
    /// </summary>
    private static async Task<IResult> StartBulkAsync(string action, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        if (!QueryValues.TryEnum<BulkAction>(action, out var bulkAction))
        {
            return ProblemMapping.NotFound($"'{QueryValues.Shown(action)}' is not a bulk action: use {string.Join(", ", Enum.GetNames<BulkAction>().Select(n => n.ToLowerInvariant()))}.");
        }

        var selection = (await JsonBody.ReadAsync<BulkRequest>(request, BulkRequest.Shape, ct)).ToSelection();
        var started = await operations.StartBulkAsync(request.HttpContext.User, bulkAction, selection, ct);
        request.HttpContext.Response.Headers.Location = $"{request.PathBase}/api/bulk/{started.Id}";

        // The operation as GET /bulk/{id} shows it, with the filter it was asked for: its total is what that filter matched.
        var answer = JsonSerializer.SerializeToNode(started, FlowJson.Data)!.AsObject();
        if (selection.Filter is { } filter)
        {
            answer["filter"] = JsonSerializer.SerializeToNode(
                new { filter.Workflow, Status = filter.Statuses, From = filter.CreatedFrom, To = filter.CreatedTo, filter.Search, Tags = filter.Tags?.Select(t => t.ToString()) }, FlowJson.Data);
        }

        return Accepted(answer);
    }

    private static IResult Accepted(object body) => Results.Json(body, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
}
