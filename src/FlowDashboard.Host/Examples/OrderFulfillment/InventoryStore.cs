using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// The example's stock, kept in tables of its own in the store's SQLite file. Seeded with 1,000 units
/// each of <c>widget</c> and <c>gadget</c> on first use.
/// </summary>
public sealed class InventoryStore
{
    private readonly string connectionString;
    private readonly Lazy<Task> tables;

    /// <summary>Reads the store's connection string; the tables are created, once, on first use.</summary>
    /// <param name="configuration">Holds <c>ConnectionStrings:Flows</c>.</param>
    /// <param name="environment">A relative file is relative to its content root.</param>
    public InventoryStore(IConfiguration configuration, IHostEnvironment environment)
    {
        connectionString = Resolve(configuration, environment);
        tables = new Lazy<Task>(CreateTablesAsync);
    }

    /// <summary>Units in stock of <paramref name="sku"/>, or null for an unknown sku.</summary>
    /// <param name="sku">The sku.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<int?> StockAsync(string sku, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT quantity FROM example_inventory WHERE sku = $sku";
        command.Parameters.AddWithValue("$sku", sku);
        return await command.ExecuteScalarAsync(cancellationToken) is long quantity ? (int)quantity : null;
    }

    /// <summary>Every sku with its stock.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<(string Sku, int Quantity)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sku, quantity FROM example_inventory ORDER BY sku";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<(string, int)>();
        while (await reader.ReadAsync(cancellationToken)) items.Add((reader.GetString(0), reader.GetInt32(1)));
        return items;
    }

    /// <summary>
    /// Takes <paramref name="quantity"/> units out of stock for an order, once per order id: steps run at
    /// least once, so a repeat must find the reservation and change nothing.
    /// </summary>
    /// <returns>The stock left.</returns>
    public async Task<int> ReserveAsync(string orderId, string sku, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO example_inventory_reservations (order_id, sku, quantity) VALUES ($order, $sku, $quantity)";
        insert.Parameters.AddWithValue("$order", orderId);
        insert.Parameters.AddWithValue("$sku", sku);
        insert.Parameters.AddWithValue("$quantity", quantity);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE example_inventory SET quantity = quantity - $quantity WHERE sku = $sku";
            update.Parameters.AddWithValue("$sku", sku);
            update.Parameters.AddWithValue("$quantity", quantity);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await StockAsync(sku, cancellationToken) ?? 0;
    }

    /// <summary>Adds units to a known sku; returns the new stock, or null for an unknown sku.</summary>
    /// <param name="sku">The sku.</param>
    /// <param name="quantity">How many units arrive.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    public async Task<int?> RestockAsync(string sku, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE example_inventory SET quantity = quantity + $quantity WHERE sku = $sku RETURNING quantity";
        command.Parameters.AddWithValue("$sku", sku);
        command.Parameters.AddWithValue("$quantity", quantity);
        return await command.ExecuteScalarAsync(cancellationToken) is long stock ? (int)stock : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout=30000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }

        await tables.Value.WaitAsync(cancellationToken);
        return connection;
    }

    private async Task CreateTablesAsync()
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA busy_timeout=30000;
            CREATE TABLE IF NOT EXISTS example_inventory (sku TEXT PRIMARY KEY, quantity INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS example_inventory_reservations (order_id TEXT PRIMARY KEY, sku TEXT NOT NULL, quantity INTEGER NOT NULL);
            INSERT OR IGNORE INTO example_inventory (sku, quantity) VALUES ('widget', 1000), ('gadget', 1000);
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Flows") ?? "Data Source=flows.db");
        builder.DataSource = Path.Combine(environment.ContentRootPath, builder.DataSource);
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
