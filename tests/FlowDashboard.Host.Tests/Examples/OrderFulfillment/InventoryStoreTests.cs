using FlowDashboard.Host.Examples.OrderFulfillment;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Tests.Examples.OrderFulfillment;

/// <summary>The store on its own SQLite file, without a host: the idempotency the order workflow relies on.</summary>
public sealed class InventoryStoreTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-inventory-" + Guid.NewGuid().ToString("N"));
    private readonly InventoryStore inventory;

    public InventoryStoreTests()
    {
        Directory.CreateDirectory(folder);
        inventory = new InventoryStore($"Data Source={Path.Combine(folder, "flows.db")}", postgreSql: false);
    }

    /// <summary>What the host does as it starts (<see cref="InventorySetup"/>).</summary>
    public async ValueTask InitializeAsync() => await inventory.CreateTablesAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ReserveAsync_SameOrderTwice_TakesStockOnce()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await inventory.ReserveAsync("o-1", "widget", 30, ct);
        var again = await inventory.ReserveAsync("o-1", "widget", 30, ct);

        Assert.Equal(970, first);
        Assert.Equal(970, again);
        Assert.Equal(970, await inventory.StockAsync("widget", ct));
    }

    [Fact]
    public async Task ReserveAsync_MoreThanInStock_ChangesNothingAndCanBeRetriedAfterRestock()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await inventory.ReserveAsync("o-2", "gadget", 1001, ct));
        Assert.Equal(1000, await inventory.StockAsync("gadget", ct));

        Assert.Equal(1010, await inventory.RestockAsync("gadget", 10, ct));
        Assert.Equal(9, await inventory.ReserveAsync("o-2", "gadget", 1001, ct));
    }

    [Fact]
    public async Task ReserveAsync_ConcurrentOrders_NeverTakesMoreThanTheStock()
    {
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() => inventory.ReserveAsync($"c-{i}", "widget", 300, ct), ct)));

        Assert.Equal(3, results.Count(r => r is not null));
        Assert.Equal(100, await inventory.StockAsync("widget", ct));
    }

    [Fact]
    public async Task RestockAsync_UnknownSku_ReturnsNull()
    {
        Assert.Null(await inventory.RestockAsync("gizmo", 5, TestContext.Current.CancellationToken));
    }
}
