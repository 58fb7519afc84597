using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FlowDashboard.Store;

/// <summary>
/// Sets WAL and <c>synchronous</c> on every connection: a file created before EF migrated it can stay in
/// rollback-journal mode, and <c>synchronous</c> is per connection.
/// </summary>
internal sealed class SqlitePragmaInterceptor(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
