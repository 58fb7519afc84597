using System.Globalization;
using System.Net;
using FlowDashboard.Host.Examples.ImageProcessing;
using FlowDashboard.Host.Examples.OrderFulfillment;

namespace FlowDashboard.Host.Examples;

/// <summary>The examples' own endpoints: the inventory (to restock before retrying a step) and a sample image.</summary>
internal static class ExampleEndpoints
{
    /// <summary>
    /// Maps <c>GET /examples/inventory</c>, <c>POST /examples/inventory/{sku}/restock?quantity=N</c> and
    /// <c>GET /examples/sample-image.png?width=&amp;height=</c>, for local requests only.
    /// </summary>
    public static RouteGroupBuilder MapExampleEndpoints(this IEndpointRouteBuilder app)
    {
        var examples = app.MapGroup("/examples");

        // Restocking changes data and nothing here authenticates: keep it on this machine, like the API's default.
        examples.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The example endpoints answer local requests only."));

        examples.MapGet("/inventory", async (InventoryStore inventory, CancellationToken ct) =>
            Results.Ok((await inventory.ListAsync(ct)).Select(i => new { sku = i.Sku, quantity = i.Quantity })));

        // The quantity is parsed here rather than bound as int?, so "abc" and overflows get the same ProblemDetails as 0.
        examples.MapPost("/inventory/{sku}/restock", async (string sku, string? quantity, InventoryStore inventory, CancellationToken ct) =>
        {
            if (!int.TryParse(quantity, NumberStyles.None, CultureInfo.InvariantCulture, out var units) || units is < 1 or > 1_000_000)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Give a whole quantity from 1 to 1,000,000."] });
            }

            return await inventory.RestockAsync(sku, units, ct) is { } stock
                ? Results.Ok(new { sku, quantity = stock })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Unknown sku '{sku}'.");
        });

        // The message service customer-onboarding calls (as one would call an AI API): it writes a follow-up.
        examples.MapPost("/messages/follow-up", (FollowUpRequest request) => string.IsNullOrWhiteSpace(request.Name)
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Say whom to write to."] })
            : Results.Ok(new CustomerOnboarding.FollowUpMessage(
                $"Hi {request.Name},\n\nit has been a few days since you joined. How is it going so far? " +
                "If anything is unclear or missing, just reply to this email: a person reads every answer.")));

        examples.MapGet("/sample-image.png", async (int? width, int? height, CancellationToken ct) =>
        {
            if (width is < 16 or > 4000 || height is < 16 or > 4000)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["size"] = ["Width and height go from 16 to 4000."] });
            }

            return Results.File(await SampleImage.RenderAsync(width ?? 800, height ?? 600, ct), "image/png");
        });

        return examples;
    }

    private sealed record FollowUpRequest(string? Name, string? Email);
}
