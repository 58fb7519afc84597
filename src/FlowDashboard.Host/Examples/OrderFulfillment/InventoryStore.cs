using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// The example's stock, in tables of its own inside FlowDashboard's database (plain ADO.NET, SQL that SQLite and
/// PostgreSQL both speak). The tables are created and seeded with 1,000 units each of <c>widget</c> and
/// <c>gadget</c> as the host starts, before the engine opens the store (<see cref="InventorySetup"/>): a schema
/// change made by another connection while the engine writes can make the engine's next statement fail.
/// </summary>
/// <param name="connectionString">FlowDashboard's own connection string, so the stock lives beside the runs.</param>
/// <param name="postgreSql">Whether that is a PostgreSQL database (else a SQLite file).</param>
public sealed class InventoryStore(string connectionString, bool postgreSql)
{
    /// <summary>Whether the stock lives in a PostgreSQL database.</summary>
    internal bool OnPostgreSql => postgreSql;

    /// <summary>Units in stock of <paramref name="sku"/>, or null for an unknown sku.</summary>
    /// <param name="sku">The sku.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<long?> StockAsync(string sku, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await StockAsync(connection, null, sku, cancellationToken);
    }

    /// <summary>Every sku with its stock, by sku.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<(string Sku, long Quantity)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT sku, quantity FROM example_inventory ORDER BY sku");
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Each statement decides on the row as it is when it writes (a unique key, a conditional decrement), so two
        // orders at once can neither both reserve nor both take the last units, on either database.
        await using var insert = Command(connection, transaction,
            "INSERT INTO example_inventory_reservations (order_id, sku, quantity) VALUES (@order, @sku, @quantity) ON CONFLICT DO NOTHING",
            ("order", orderId), ("sku", sku), ("quantity", quantity));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            await using var update = Command(connection, transaction,
                "UPDATE example_inventory SET quantity = quantity - @quantity WHERE sku = @sku AND quantity >= @quantity",
                ("sku", sku), ("quantity", quantity));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }

        var left = await StockAsync(connection, transaction, sku, cancellationToken);
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
        await using var command = Command(connection, null,
            "UPDATE example_inventory SET quantity = quantity + @quantity WHERE sku = @sku RETURNING quantity", ("sku", sku), ("quantity", quantity));
        return await command.ExecuteScalarAsync(cancellationToken) is { } stock and not DBNull ? Convert.ToInt64(stock, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Creates the tables and the seed stock where they are missing; called once, as the host starts.</summary>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // Several hosts may start at once on one PostgreSQL database: two CREATE TABLE IF NOT EXISTS of one table at
        // the same moment can both try to create it, so they take turns (the lock ends with the transaction).
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (postgreSql)
        {
            await using var turn = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('flowdashboard-example-inventory'))");
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var sql in new[]
        {
            "CREATE TABLE IF NOT EXISTS example_inventory (sku TEXT PRIMARY KEY, quantity BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS example_inventory_reservations (order_id TEXT PRIMARY KEY, sku TEXT NOT NULL, quantity BIGINT NOT NULL)",
            "INSERT INTO example_inventory (sku, quantity) VALUES ('widget', 1000), ('gadget', 1000) ON CONFLICT DO NOTHING",
        })
        {
            await using var command = Command(connection, transaction, sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<long?> StockAsync(DbConnection connection, DbTransaction? transaction, string sku, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT quantity FROM example_inventory WHERE sku = @sku", ("sku", sku));
        return await command.ExecuteScalarAsync(cancellationToken) is { } quantity and not DBNull ? Convert.ToInt64(quantity, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (postgreSql)
        {
            var npgsql = new NpgsqlConnection(connectionString);
            await npgsql.OpenAsync(cancellationToken);
            return npgsql;
        }

        // The engine writes this file at the same time: wait for its locks rather than fail with SQLITE_BUSY, and keep
        // its WAL mode on this connection too.
        var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 }.ToString());
        await sqlite.OpenAsync(cancellationToken);
        await using var pragmas = Command(sqlite, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return sqlite;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
