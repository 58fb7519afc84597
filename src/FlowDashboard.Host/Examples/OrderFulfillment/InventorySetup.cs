namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// Creates the example's stock tables while the host starts, before any hosted service starts (the engine
/// migrates and opens the store in its own start), so the example never changes the schema of a store the
/// engine is writing.
/// </summary>
internal sealed class InventorySetup(InventoryStore inventory) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => inventory.CreateTablesAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
