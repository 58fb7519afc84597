using System.Globalization;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlowDashboard.Console.Api;

/// <summary>List workflows, trigger runs, list and read runs.</summary>
internal static class RunEndpoints
{
    private const int DefaultPageSize = 50;

    public static void MapRunEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workflows", (IRunQueryService queries) =>
            Results.Json(queries.Workflows().Select(w => new { name = w.Name, inputType = w.InputType }), FlowJson.Data));

        api.MapPost("/workflows/{workflow}/runs", TriggerAsync);

        api.MapGet("/runs", ListAsync);

        api.MapGet("/runs/{runId}", async (string runId, IWorkflowClient client, CancellationToken ct) =>
            await client.GetRunAsync(runId, ct) is { } run
                ? Results.Json(run, FlowJson.Data)
                : ProblemMapping.NotFound($"No run with id '{runId}' exists."));
    }

    // The page size is read as text: a bound int that does not parse is a 400 with no body, not a ProblemDetails.
    private static async Task<IResult> ListAsync(HttpRequest request, IRunQueryService queries, string? cursor, string? pageSize, CancellationToken ct)
    {
        var filter = RunFilterQueryString.Parse(request.Query, out var errors);
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > RunQueryService.MaxPageSize))
        {
            errors["pageSize"] = [$"Give a page size from 1 to {RunQueryService.MaxPageSize}."];
        }

        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The list's parameters are not valid");

        var page = await queries.ListRunsAsync(filter, cursor, size, ct);
        return Results.Json(new { runs = page.Runs, nextCursor = page.NextCursor }, FlowJson.Data);
    }

    private static async Task<IResult> TriggerAsync(
        string workflow, string? runId, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        // The body is read here rather than bound, so malformed JSON gets a ProblemDetails that says where.
        JsonElement input;
        if (request.ContentLength == 0)
        {
            input = JsonSerializer.SerializeToElement<object?>(null);
        }
        else
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            input = document.RootElement.Clone();
        }

        var result = await operations.TriggerAsync(request.HttpContext.User, workflow, input, new TriggerOptions { RunId = runId, Source = "api" }, ct);
        var body = new { runId = result.RunId };
        if (!result.Created) return Results.Json(body, FlowJson.Data);

        // The run's own address: this request's path up to "/workflows/", then "/runs/{id}".
        var path = request.Path.Value!;
        request.HttpContext.Response.Headers.Location =
            $"{request.PathBase}{path[..path.LastIndexOf("/workflows/", StringComparison.Ordinal)]}/runs/{Uri.EscapeDataString(result.RunId)}";
        return Results.Json(body, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
    }
}
