using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;

namespace FlowDashboard.Host.Tests.Examples.OrderFulfillment;

/// <summary>The tests of one class run one after another, so each can compare stock before and after.</summary>
public sealed class OrderFulfillmentWorkflowTests(ExampleHostFactory host) : IClassFixture<ExampleHostFactory>
{
    private static readonly string[] Steps =
        ["validate-order", "check-inventory", "process-payment", "generate-shipping-label", "update-inventory", "send-confirmation"];

    [Fact]
    public async Task RunAsync_InStock_CompletesSixStepsAndTakesStock()
    {
        var before = await host.StockAsync("widget");

        var run = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", new { orderId = "o-100", sku = "widget", quantity = 7 }));

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(Steps, run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(before - 7, await host.StockAsync("widget"));
        Assert.Contains("TRACKING FD", await File.ReadAllTextAsync(Path.Combine(host.Labels, "o-100.txt"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var confirmation = Assert.Single(host.EmailsOf(run.GetProperty("runId").GetString()!));
        Assert.Contains("\r\nTo: orders+o-100@example.com\r\n", confirmation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MoreThanInStock_FailsAtCheckInventoryAfterOneAttempt()
    {
        var stock = await host.StockAsync("gadget");

        var run = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", new { orderId = "o-big", sku = "gadget", quantity = stock + 1 }));

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["validate-order", "check-inventory"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("Failed", steps[1].GetProperty("status").GetString());
        Assert.Equal(1, steps[1].GetProperty("attempts").GetArrayLength());
        Assert.Equal(
            $"Only {stock} gadget(s) in stock; order o-big needs {stock + 1}. Restock, then retry this step.",
            steps[1].GetProperty("error").GetString());
        Assert.Equal(stock, await host.StockAsync("gadget"));
        Assert.Empty(host.EmailsOf(run.GetProperty("runId").GetString()!));
        Assert.False(File.Exists(Path.Combine(host.Labels, "o-big.txt")));
    }

    [Fact]
    public async Task RunAsync_UnknownSku_FailsAtValidateOrderAfterOneAttempt()
    {
        var run = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", new { orderId = "o-gizmo", sku = "gizmo", quantity = 1 }));

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("validate-order", step.GetProperty("name").GetString());
        Assert.Equal(1, step.GetProperty("attempts").GetArrayLength());
        Assert.Equal("Unknown sku 'gizmo': order one of gadget, widget.", step.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RunAsync_SameOrderInTwoRuns_TakesStockOnce()
    {
        var before = await host.StockAsync("widget");
        var order = new { orderId = "o-twice", sku = "widget", quantity = 5 };

        var first = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", order));
        var second = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", order));

        Assert.Equal(["Completed", "Completed"], new[] { first, second }.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(before - 5, await host.StockAsync("widget"));
    }

    [Fact]
    public async Task Restock_AfterShortfall_RaisesStockByTheQuantity()
    {
        var stock = await host.StockAsync("gadget");

        using var response = await host.Http.PostAsync("/examples/inventory/gadget/restock?quantity=50", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stock + 50, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("quantity").GetInt64());
        Assert.Equal(stock + 50, await host.StockAsync("gadget"));
    }

    [Theory]
    [InlineData(true, "Completed", "send-confirmation")]
    [InlineData(false, "Completed", "send-rejection")]
    public async Task RunAsync_LargeOrder_WaitsForApprovalThenFollowsIt(bool approved, string status, string lastStep)
    {
        var orderId = approved ? "o-large-yes" : "o-large-no";
        var runId = await host.TriggerAsync("order-fulfillment", new { orderId, sku = "widget", quantity = 100 });
        await host.WaitForStatusAsync(runId, "Waiting");

        using var notify = await host.Http.PostAsJsonAsync($"/flows/api/events/approve-order-{orderId}", new { approved, by = "Ada" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, notify.StatusCode);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(status, run.GetProperty("status").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["validate-order", "check-inventory", "wait-for-approval"], steps.Take(3));
        Assert.Equal(lastStep, steps[^1]);
        Assert.Equal(approved, steps.Contains("process-payment"));
    }

    [Theory]
    [InlineData("""{"sku":"widget","quantity":1}""", "orderId")]
    [InlineData("""{"orderId":"o","sku":"widget","quantity":"many"}""", "quantity")]
    [InlineData("""{"orderId":"o","sku":"widget","quantity":0}""", "quantity")]
    [InlineData("""{"orderId":"o","sku":"widget","quantity":1,"rush":true}""", "rush")]
    [InlineData("""{"orderId":"../etc/passwd","sku":"widget","quantity":1}""", "orderId")]
    public async Task Trigger_BadInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await host.PostInputAsync("order-fulfillment", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
