using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlowDashboard.Console.Api;

/// <summary>Trigger, inspect and cancel runs over HTTP; every handler calls <see cref="IWorkflowClient"/>.</summary>
internal static class RunEndpoints
{
    public static void MapRunEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workflows", (WorkflowRegistry registry) =>
            Results.Json(registry.All.OrderBy(w => w.Name).Select(w => new { name = w.Name, inputType = w.InputType.Name }), FlowJson.Data));

        api.MapPost("/workflows/{workflow}/runs", TriggerAsync);

        api.MapGet("/runs/{runId}", async (string runId, IWorkflowClient client, CancellationToken ct) =>
            await client.GetRunAsync(runId, ct) is { } run
                ? Results.Json(run, FlowJson.Data)
                : ProblemMapping.NotFound($"No run with id '{runId}' exists."));

        api.MapPost("/runs/{runId}/cancel", async (string runId, IWorkflowClient client, CancellationToken ct) =>
        {
            await client.CancelAsync(runId, ct);
            return Results.Json(new { runId }, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
        });
    }

    private static async Task<IResult> TriggerAsync(string workflow, string? runId, HttpRequest request, IWorkflowClient client, CancellationToken ct)
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

        var result = await client.TriggerAsync(workflow, input, new TriggerOptions { RunId = runId, Source = "api" }, ct);
        var body = new { runId = result.RunId };
        if (!result.Created) return Results.Json(body, FlowJson.Data);

        // The run's own address: this request's path up to "/workflows/", then "/runs/{id}".
        var path = request.Path.Value!;
        request.HttpContext.Response.Headers.Location =
            $"{request.PathBase}{path[..path.LastIndexOf("/workflows/", StringComparison.Ordinal)]}/runs/{Uri.EscapeDataString(result.RunId)}";
        return Results.Json(body, FlowJson.Data, statusCode: StatusCodes.Status202Accepted);
    }
}
