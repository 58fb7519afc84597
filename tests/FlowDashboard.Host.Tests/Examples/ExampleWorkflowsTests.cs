using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace FlowDashboard.Host.Tests.Examples;

public sealed class ExampleWorkflowsTests(ExampleHostFixture host) : IClassFixture<ExampleHostFixture>
{
    [Fact]
    public async Task CustomerOnboarding_ShortFollowUpDelay_SendsWelcomeAndFollowUpOnce()
    {
        var runId = await host.TriggerAsync("customer-onboarding", new { userId = "u-7", email = "grace@example.com", name = "Grace" });

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(
            [("send-welcome-email", "Run"), ("wait-for-follow-up", "Sleep"), ("generate-follow-up-message", "Run"), ("send-follow-up-email", "Run")],
            run.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("kind").GetString())));
        var emails = Directory.EnumerateFiles(host.Outbox, "*.eml").Select(File.ReadAllText).Where(e => e.Contains($"X-Flow-Run: {runId}\r\n", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, emails.Count);
        Assert.All(emails, e => Assert.Contains("To: grace@example.com", e, StringComparison.Ordinal));
        Assert.Single(emails, e => e.Contains("X-Flow-Step: send-follow-up-email", StringComparison.Ordinal) && e.Contains("Hi Grace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageProcessing_HostSampleImage_StoresThumbnailOfMaxSize()
    {
        var runId = await host.TriggerAsync("image-processing", new { imageUrl = new Uri(host.Address, "/examples/sample-image.png?width=640&height=320").ToString(), maxSize = 100 });

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var thumbnail = run.GetProperty("output").GetProperty("thumbnail").GetString()!;
        var info = Image.Identify(thumbnail);
        Assert.Equal((100, 50), (info.Width, info.Height));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(thumbnail)!, "manifest.json")));
    }

    [Fact]
    public async Task ImageProcessing_MissingImage_FailsAtFetchWithoutRetrying()
    {
        var runId = await host.TriggerAsync("image-processing", new { imageUrl = new Uri(host.Address, "/examples/no-such-image.png").ToString() });

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("fetch-image", step.GetProperty("name").GetString());
        Assert.Equal(1, step.GetProperty("attempts").GetArrayLength());
        Assert.Contains("404", run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderFulfillment_InStock_CompletesSixStepsAndTakesStock()
    {
        var before = await StockAsync("widget");

        var run = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", new { orderId = "o-100", sku = "widget", quantity = 7 }));

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(6, run.GetProperty("steps").GetArrayLength());
        Assert.Equal(before - 7, await StockAsync("widget"));
    }

    [Fact]
    public async Task OrderFulfillment_OverStock_FailsAtCheckInventoryAndRestockRaisesStock()
    {
        var stock = await StockAsync("gadget");

        var run = await host.WaitForFinalAsync(await host.TriggerAsync("order-fulfillment", new { orderId = "o-big", sku = "gadget", quantity = stock + 1 }));

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["validate-order", "check-inventory"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(1, steps[1].GetProperty("attempts").GetArrayLength());
        Assert.Contains($"Only {stock} gadget(s) in stock", run.GetProperty("error").GetString(), StringComparison.Ordinal);

        var restock = await host.Http.PostAsync("/examples/inventory/gadget/restock?quantity=50", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, restock.StatusCode);
        Assert.Equal(stock + 50, await StockAsync("gadget"));
    }

    [Theory]
    [InlineData("/examples/inventory/gadget/restock?quantity=0", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gizmo/restock?quantity=5", HttpStatusCode.NotFound)]
    public async Task Restock_BadRequest_AnswersProblem(string path, HttpStatusCode status)
    {
        var response = await host.Http.PostAsync(path, null, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("customer-onboarding", """{"userId":"u","email":"not-an-email","name":"A"}""", "email")]
    [InlineData("customer-onboarding", """{"userId":"u","name":"A"}""", "email")]
    [InlineData("order-fulfillment", """{"orderId":"o","sku":"widget","quantity":"many"}""", "quantity")]
    [InlineData("order-fulfillment", """{"orderId":"o","sku":"widget","quantity":0}""", "quantity")]
    [InlineData("order-fulfillment", """{"orderId":"o","sku":"widget","quantity":1,"rush":true}""", "rush")]
    [InlineData("image-processing", """{"imageUrl":"not a url"}""", "imageUrl")]
    [InlineData("image-processing", """{"imageUrl":"http://127.0.0.1/x.png","maxSize":5}""", "maxSize")]
    public async Task Trigger_BadExampleInput_Returns400NamingTheField(string workflow, string body, string field)
    {
        var response = await host.Http.PostAsync($"/flows/api/workflows/{workflow}/runs", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private async Task<int> StockAsync(string sku)
    {
        var items = await host.Http.GetFromJsonAsync<JsonElement>("/examples/inventory");
        return items.EnumerateArray().Single(i => i.GetProperty("sku").GetString() == sku).GetProperty("quantity").GetInt32();
    }
}
