using FlowDashboard.Host.Examples.ImageProcessing;
using FlowDashboard.Host.Examples.OrderFulfillment;

namespace FlowDashboard.Host.Examples;

/// <summary>The examples' own endpoints: the inventory (to restock before retrying a step) and a sample image.</summary>
internal static class ExampleEndpoints
{
    public static void MapExampleEndpoints(this IEndpointRouteBuilder app)
    {
        var examples = app.MapGroup("/examples");

        examples.MapGet("/inventory", async (InventoryStore inventory, CancellationToken ct) =>
            Results.Ok((await inventory.ListAsync(ct)).Select(i => new { sku = i.Sku, quantity = i.Quantity })));

        examples.MapPost("/inventory/{sku}/restock", async (string sku, int? quantity, InventoryStore inventory, CancellationToken ct) =>
        {
            if (quantity is not (>= 1 and <= 1_000_000))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Give a quantity from 1 to 1,000,000."] });
            }

            return await inventory.RestockAsync(sku, quantity.Value, ct) is { } stock
                ? Results.Ok(new { sku, quantity = stock })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Unknown sku '{sku}'.");
        });

        examples.MapGet("/sample-image.png", async (int? width, int? height, CancellationToken ct) =>
        {
            if (width is < 16 or > 4000 || height is < 16 or > 4000)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["size"] = ["Width and height go from 16 to 4000."] });
            }

            return Results.File(await SampleImage.RenderAsync(width ?? 800, height ?? 600, ct), "image/png");
        });
    }
}
