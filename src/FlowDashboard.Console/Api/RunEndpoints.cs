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
    private const int MaxBatch = 1000;

    public static void MapRunEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workflows", (IRunQueryService queries) =>
            Results.Json(queries.Workflows().Select(w => new { name = w.Name, inputType = w.InputType }), FlowJson.Data));

        api.MapPost("/workflows/{workflow}/runs", TriggerAsync);

        api.MapPost("/workflows/{workflow}/runs/batch", TriggerBatchAsync);

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

    /// <summary>Reads the request body as JSON (null when empty), so malformed JSON gets a ProblemDetails that says where.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0) return JsonSerializer.SerializeToElement<object?>(null);
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Starts many runs of one workflow: <c>[{"runId": "...", "input": {...}}, ...]</c> (run ids optional). Every input
    /// is checked first; if any is invalid, none starts and the errors name the item (<c>[2].input.email</c>).
    /// </summary>
    private static async Task<IResult> TriggerBatchAsync(string workflow, HttpRequest request, IOperationsService operations, IRunQueryService queries, CancellationToken ct)
    {
        var body = await ReadJsonAsync(request, ct);
        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() is 0 or > MaxBatch)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [""] = [$"Send a JSON array of 1 to {MaxBatch} items, each {{\"runId\"?, \"input\"}}."] });
        }

        var items = body.EnumerateArray().ToList();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.Object || !items[i].TryGetProperty("input", out var input))
            {
                errors[$"[{i}]"] = ["Each item is an object with an \"input\" (and optionally a \"runId\")."];
                continue;
            }

            foreach (var (member, messages) in queries.ValidateInput(workflow, input.GetRawText()))
            {
                errors[$"[{i}].input{(member.Length == 0 ? "" : "." + member)}"] = messages;
            }
        }

        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Some inputs are not valid for this workflow: nothing was started");

        var started = new List<object>();
        foreach (var item in items)
        {
            var runId = item.TryGetProperty("runId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var result = await operations.TriggerAsync(request.HttpContext.User, workflow, item.GetProperty("input"), new TriggerOptions { RunId = runId, Source = "api" }, ct);
            started.Add(new { runId = result.RunId, created = result.Created });
        }

        return Results.Json(new { runs = started }, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> TriggerAsync(
        string workflow, string? runId, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        var input = await ReadJsonAsync(request, ct);
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
