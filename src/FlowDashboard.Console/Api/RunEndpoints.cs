using System.Globalization;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
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

        api.MapGet("/failures", FailuresAsync);

        api.MapGet("/runs/{runId}", async (string runId, IWorkflowClient client, CancellationToken ct) =>
            await client.GetRunAsync(runId, ct) is { } run
                ? Results.Json(run, FlowJson.Data)
                : ProblemMapping.NotFound($"No run with id '{runId}' exists."));
    }

    // The page size is read as text: a bound int that does not parse is a 400 with no body, not a ProblemDetails.
    private static async Task<IResult> ListAsync(HttpRequest request, IRunQueryService queries, string? cursor, string? pageSize, string? order, CancellationToken ct)
    {
        var filter = RunFilterQueryString.Parse(request.Query, out var errors);
        var runOrder = QueryValues.Order(order, errors);
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > RunQueryService.MaxPageSize))
        {
            errors["pageSize"] = [$"Give a page size from 1 to {RunQueryService.MaxPageSize}."];
        }

        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The list's parameters are not valid");

        var page = await queries.ListRunsAsync(filter, cursor, size, runOrder, ct);
        return Results.Json(new { runs = page.Runs, nextCursor = page.NextCursor }, FlowJson.Data);
    }

    /// <summary>The failed runs grouped by workflow, failed step and exception type, since <c>since</c> (default: a day ago).</summary>
    private static async Task<IResult> FailuresAsync(string? since, IRunQueryService queries, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var from = QueryValues.Time(since, "since", errors) ?? time.GetUtcNow().AddDays(-1);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The parameters are not valid");

        var groups = await queries.FailureGroupsAsync(from, cancellationToken: ct);
        return Results.Json(
            groups.Select(g => new { g.Workflow, g.Step, g.ErrorType, g.Count, g.FirstSeen, g.LastSeen, g.SampleError, g.LatestRunId, runs = "runs?" + RunFilterQueryString.Format(g.Filter) }),
            FlowJson.Data);
    }

    /// <summary>
    /// Starts many runs of one workflow: <c>[{"runId": "...", "input": {...}}, ...]</c> (run ids optional), all or
    /// none: every item is checked first, and all are recorded in one commit. The errors name the item
    /// (<c>[2].input.email</c>, <c>[3].runId</c>).
    /// </summary>
    private static async Task<IResult> TriggerBatchAsync(string workflow, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        var tags = TagsOf(request);
        var body = await JsonBody.ReadAsync(request, ct);
        if (body is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() is 0 or > MaxBatch)
        {
            throw new ApiRequestException("body", $"Send a JSON array of 1 to {MaxBatch} items, each {{\"runId\"?, \"input\"}}.");
        }

        var items = new List<BatchItem>();
        var errors = new Dictionary<string, string[]>();
        foreach (var (item, i) in array.EnumerateArray().Select((item, i) => (item, i)))
        {
            if (BatchItemOf(item, i, errors) is { } parsed) items.Add(parsed);
        }

        if (errors.Count > 0) return BatchProblem(errors);
        IReadOnlyList<TriggerResult> results;
        try
        {
            results = await operations.TriggerBatchAsync(request.HttpContext.User, workflow, items, new TriggerOptions { Source = RunSource.Api, Tags = tags }, ct);
        }
        catch (InvalidWorkflowInputException invalid)
        {
            return BatchProblem(invalid.Errors);
        }

        return Results.Json(new { runs = results.Select(r => new { runId = r.RunId, created = r.Created }) }, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>One batch item: an object with an <c>input</c> and, optionally, a string <c>runId</c>, and nothing else.</summary>
    private static BatchItem? BatchItemOf(JsonElement item, int index, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[$"[{index}]"] = ["Each item is an object with an \"input\" (and optionally a \"runId\")."];
            return null;
        }

        var before = errors.Count;
        JsonElement? input = null;
        string? runId = null;
        foreach (var member in item.EnumerateObject())
        {
            switch (member.Name)
            {
                case "input":
                    input = member.Value;
                    break;
                case "runId" when member.Value.ValueKind == JsonValueKind.String:
                    runId = member.Value.GetString();
                    break;
                case "runId" when member.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "runId":
                    errors[$"[{index}].runId"] = ["A run id is a string."];
                    break;
                default:
                    errors[$"[{index}].{member.Name}"] = ["An item has only \"input\" and \"runId\"."];
                    break;
            }
        }

        if (input is null) errors[$"[{index}].input"] = ["Each item needs an \"input\" (null for none)."];
        return errors.Count == before ? new BatchItem(runId, input!.Value) : null;
    }

    /// <summary>The run's tags from the query (<c>?tag=customer=42&amp;tag=region=eu</c>), by key; a 400 naming <c>tag</c> when one is not valid.</summary>
    private static Dictionary<string, string>? TagsOf(HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var tags = QueryValues.Tags(request.Query["tag"], "tag", errors);
        if (errors.Count > 0) throw new ApiRequestException(StatusCodes.Status400BadRequest, "The run's tags are not valid: nothing was started", errors);
        return tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    private static IResult BatchProblem(IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), title: "Some items are not valid: nothing was started");

    private static async Task<IResult> TriggerAsync(
        string workflow, string? runId, HttpRequest request, IOperationsService operations, CancellationToken ct)
    {
        if (runId is not null && RunIdRule.Problem(runId) is { } problem) throw new ApiRequestException("runId", problem);
        var tags = TagsOf(request);
        var input = await JsonBody.ReadAsync(request, ct) ?? JsonSerializer.SerializeToElement<object?>(null);
        var result = await operations.TriggerAsync(request.HttpContext.User, workflow, input, new TriggerOptions { RunId = runId, Source = RunSource.Api, Tags = tags }, ct);
        var body = new { runId = result.RunId };
        if (!result.Created) return Results.Json(body, FlowJson.Data);

        // The run's own address: this request's path up to "/workflows/", then "/runs/{id}".
        var path = request.Path.Value!;
        request.HttpContext.Response.Headers.Location =
            $"{request.PathBase}{path[..path.LastIndexOf("/workflows/", StringComparison.Ordinal)]}/runs/{Uri.EscapeDataString(result.RunId)}";
        return Results.Json(body, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
    }
}
