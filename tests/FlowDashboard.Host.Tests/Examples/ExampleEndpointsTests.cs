using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace FlowDashboard.Host.Tests.Examples;

public sealed class ExampleEndpointsTests(ExampleHostFactory host) : IClassFixture<ExampleHostFactory>
{
    [Fact]
    public async Task Inventory_FirstUse_ListsSeededStock()
    {
        // A host of its own: the restock test of this class changes the shared host's stock, and xUnit's order
        // of a class's tests depends on where the assembly lies.
        await using var fresh = new ExampleHostFactory();
        await fresh.InitializeAsync();

        var items = await fresh.Http.GetFromJsonAsync<JsonElement>("/examples/inventory", TestContext.Current.CancellationToken);

        Assert.Equal(
            [("gadget", 1000L), ("widget", 1000L)],
            items.EnumerateArray().Select(i => (i.GetProperty("sku").GetString(), i.GetProperty("quantity").GetInt64())));
    }

    [Fact]
    public async Task Restock_KnownSku_ReturnsNewStock()
    {
        var before = await host.StockAsync("widget");

        using var response = await host.Http.PostAsync("/examples/inventory/widget/restock?quantity=1000000", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1_000_000, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("quantity").GetInt64());
        Assert.Equal(before + 1_000_000, await host.StockAsync("widget"));
    }

    [Theory]
    [InlineData("/examples/inventory/gadget/restock", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=0", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=-5", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=1000001", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=99999999999", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=abc", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gadget/restock?quantity=2.5", HttpStatusCode.BadRequest)]
    [InlineData("/examples/inventory/gizmo/restock?quantity=5", HttpStatusCode.NotFound)]
    public async Task Restock_BadRequest_AnswersProblemDetails(string path, HttpStatusCode status)
    {
        using var response = await host.Http.PostAsync(path, null, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        if (status == HttpStatusCode.BadRequest) Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _), problem.ToString());
    }

    [Fact]
    public async Task SampleImage_GivenSize_IsPngOfThatSize()
    {
        var bytes = await host.Http.GetByteArrayAsync("/examples/sample-image.png?width=320&height=200", TestContext.Current.CancellationToken);

        var info = Image.Identify(bytes);
        Assert.Equal((320, 200), (info.Width, info.Height));
    }

    [Fact]
    public async Task SampleImage_TooLarge_Returns400()
    {
        using var response = await host.Http.GetAsync("/examples/sample-image.png?width=100000", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
