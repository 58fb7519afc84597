using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Sqlite;

/// <summary>
/// EF Core's SQLite migration lock is a row in <c>__EFMigrationsLock</c>, inserted at the start of every
/// <c>Migrate()</c> (even with nothing pending) and deleted at its end. A process killed in between leaves the row,
/// and every later <c>Migrate()</c> waits for it for ever, silently. A process that holds the store's lock file
/// (<see cref="SqliteFileLock"/>) knows no other process migrates, so a row it finds is stale.
/// </summary>
internal static class SqliteMigrationLock
{
    private const string Table = "__EFMigrationsLock";

    /// <summary>Deletes a lock row left by a process that stopped while migrating; returns whether there was one.</summary>
    /// <param name="db">A context on the store; call only while holding the store's lock file.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public static async Task<bool> ClearStaleAsync(FlowDbContext db, CancellationToken cancellationToken)
    {
        // Read first: a store another program holds locked can still be read, and most starts find nothing to clear.
        var exists = await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS Value FROM sqlite_master WHERE type = 'table' AND name = {Table}")
            .SingleAsync(cancellationToken);
        if (exists == 0) return false;
        var rows = await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS Value FROM \"{Table}\"").SingleAsync(cancellationToken);
        return rows > 0 && await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{Table}\"", cancellationToken) > 0;
    }
}
