using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// The example's stock, in tables of its own inside the store's SQLite file (Microsoft.Data.Sqlite, no EF).
/// The tables are created and seeded with 1,000 units each of <c>widget</c> and <c>gadget</c> as the host starts,
/// before the engine opens the file (<see cref="InventorySetup"/>): a schema change made by another connection while
/// the engine writes can make the engine's next statement fail with "no such table".
/// </summary>
public sealed class InventoryStore
{
    private readonly string connectionString;
    private readonly string pragmas;

    /// <summary>Uses the very connection string the engine uses, so the stock lives in the same file as the runs.</summary>
    /// <param name="flows">FlowDashboard's settings: the store's connection string.</param>
    public InventoryStore(IOptions<FlowDashboardOptions> flows)
    {
        // The engine writes this file at the same time: wait for its locks (Default Timeout, busy_timeout)
        // rather than fail with SQLITE_BUSY, and keep its WAL mode on our connections too.
        var builder = new SqliteConnectionStringBuilder(flows.Value.ConnectionString) { DefaultTimeout = 30 };
        connectionString = builder.ToString();
        pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
    }

    /// <summary>Units in stock of <paramref name="sku"/>, or null for an unknown sku.</summary>
    /// <param name="sku">The sku.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<long?> StockAsync(string sku, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await StockAsync(connection, sku, cancellationToken);
    }

    /// <summary>Every sku with its stock, by sku.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<(string Sku, long Quantity)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sku, quantity FROM example_inventory ORDER BY sku";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken)) items.Add((reader.GetString(0), reader.GetInt64(1)));
        return items;
    }

    /// <summary>
    /// Takes <paramref name="quantity"/> units out of stock for an order, once per order id: steps run at
    /// least once, so a repeat finds the reservation and changes nothing. Reservation and decrement commit together.
    /// </summary>
    /// <param name="orderId">The order: the idempotency key.</param>
    /// <param name="sku">The sku.</param>
    /// <param name="quantity">How many units.</param>
    /// <param name="cancellationToken">Cancels the transaction.</param>
    /// <returns>The stock left, or null when there was too little (another order took it since the check) and nothing changed.</returns>
    public async Task<long?> ReserveAsync(string orderId, string sku, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // BEGIN IMMEDIATE (deferred: false) takes the write lock up front, so two orders cannot both read
        // enough stock and then both decrement it.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO example_inventory_reservations (order_id, sku, quantity) VALUES ($order, $sku, $quantity)";
        insert.Parameters.AddWithValue("$order", orderId);
        insert.Parameters.AddWithValue("$sku", sku);
        insert.Parameters.AddWithValue("$quantity", quantity);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE example_inventory SET quantity = quantity - $quantity WHERE sku = $sku AND quantity >= $quantity";
            update.Parameters.AddWithValue("$sku", sku);
            update.Parameters.AddWithValue("$quantity", quantity);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }

        var left = await StockAsync(connection, sku, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return left;
    }

    /// <summary>Adds units to a known sku; returns the new stock, or null for an unknown sku.</summary>
    /// <param name="sku">The sku.</param>
    /// <param name="quantity">How many units arrive.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    public async Task<long?> RestockAsync(string sku, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE example_inventory SET quantity = quantity + $quantity WHERE sku = $sku RETURNING quantity";
        command.Parameters.AddWithValue("$sku", sku);
        command.Parameters.AddWithValue("$quantity", quantity);
        return await command.ExecuteScalarAsync(cancellationToken) is long stock ? stock : null;
    }

    private static async Task<long?> StockAsync(SqliteConnection connection, string sku, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT quantity FROM example_inventory WHERE sku = $sku";
        command.Parameters.AddWithValue("$sku", sku);
        return await command.ExecuteScalarAsync(cancellationToken) is long quantity ? quantity : null;
    }

    /// <summary>Creates the tables and the seed stock where they are missing; called once, as the host starts.</summary>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS example_inventory (sku TEXT PRIMARY KEY, quantity INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS example_inventory_reservations (order_id TEXT PRIMARY KEY, sku TEXT NOT NULL, quantity INTEGER NOT NULL);
            INSERT OR IGNORE INTO example_inventory (sku, quantity) VALUES ('widget', 1000), ('gadget', 1000);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
