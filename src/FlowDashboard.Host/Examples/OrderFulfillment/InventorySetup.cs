namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// Creates the example's stock tables as the host starts, before any run executes. On SQLite, before the engine
/// opens the file at all: a schema change made by another connection while the engine writes can fail its next
/// statement. On PostgreSQL, right after the engine's own start, which creates and migrates the database.
/// </summary>
internal sealed class InventorySetup(InventoryStore inventory) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => inventory.OnPostgreSql ? Task.CompletedTask : inventory.CreateTablesAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => inventory.OnPostgreSql ? inventory.CreateTablesAsync(cancellationToken) : Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
