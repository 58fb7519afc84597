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

        api.MapDelete("/runs/{runId}", async (string runId, HttpContext http, IOperationsService operations, CancellationToken ct) =>
        {
            await operations.DeleteAsync(http.User, runId, ct);
            return Results.NoContent();
        });

        api.MapPost("/runs/bulk/{action}", StartBulkAsync);

        api.MapPost("/events/{eventId}", async (string eventId, string? runId, HttpRequest request, IOperationsService operations, CancellationToken ct) =>
        {
            var payload = await RunEndpoints.ReadJsonAsync(request, ct);
            var result = await operations.NotifyAsync(request.HttpContext.User, eventId, payload, runId, ct);
            return Accepted(new { eventId, woken = result.Woken, kept = result.Kept });
        });

        api.MapGet("/bulk/{id}", (string id, IOperationsService operations) =>
            operations.GetBulk(id) is { } bulk ? Results.Json(bulk, FlowJson.Data) : ProblemMapping.NotFound($"No bulk operation with id '{id}' exists."));
    }

    /// <summary>
    /// <c>POST /runs/bulk/{cancel|resume|restart|delete}</c> with <c>{"runIds": [...]}</c>, or with no body to act
    /// on every run matching the query string's filter (the list's parameters).
    /// </summary>
    private static async Task<IResult> StartBulkAsync(string action, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        if (!Enum.TryParse<BulkAction>(action, ignoreCase: true, out var bulkAction) || !Enum.IsDefined(bulkAction))
        {
            return ProblemMapping.NotFound($"'{action}' is not a bulk action: use {string.Join(", ", Enum.GetNames<BulkAction>().Select(n => n.ToLowerInvariant()))}.");
        }

        RunSelection selection;
        if (request.ContentLength is > 0)
        {
            var body = await JsonSerializer.DeserializeAsync<BulkBody>(request.Body, FlowJson.Data, ct);
            if (body?.RunIds is not { Count: > 0 } ids)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["runIds"] = ["Give the run ids to act on, or no body to act on the filter."] });
            }

            selection = RunSelection.Of(ids);
        }
        else
        {
            var filter = RunFilterQueryString.Parse(request.Query, out var errors);
            if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The filter is not valid");
            selection = RunSelection.Matching(filter);
        }

        var started = await operations.StartBulkAsync(request.HttpContext.User, bulkAction, selection, ct);
        request.HttpContext.Response.Headers.Location = $"{request.PathBase}/api/bulk/{started.Id}";
        return Accepted(started);
    }

    private static IResult Accepted(object body) => Results.Json(body, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);

    private sealed record BulkBody(IReadOnlyList<string>? RunIds);
}
