using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FlowDashboard.Bench.Measurement;

/// <summary>
/// Installs a <see cref="CommitCounter"/> on every connection the engine's DbContext opens, and records the
/// <c>synchronous</c> level that connection runs with (after the engine's own PRAGMA interceptor), so the
/// bench can check that the engine ran with the durability it was asked for. On PostgreSQL, where no commit hook
/// exists, it counts the transactions the DbContext commits (every write of the engine is in one: its group commits).
/// </summary>
public sealed class CommitCountingInterceptor(CommitCounter counter, bool countTransactions = false) : DbConnectionInterceptor, IDbTransactionInterceptor
{
    private long observedSynchronous = -1;

    /// <summary>The <c>PRAGMA synchronous</c> value of the last connection opened (0 OFF, 1 NORMAL, 2 FULL); -1 before any.</summary>
    public long ObservedSynchronous => Interlocked.Read(ref observedSynchronous);

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Install(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Install(connection);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed();

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed();
        return Task.CompletedTask;
    }

    private void Committed()
    {
        if (countTransactions) counter.Counted();
    }

    private void Install(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite) return;
        counter.Install(handle);
        if (ObservedSynchronous >= 0) return;
        using var command = sqlite.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Interlocked.Exchange(ref observedSynchronous, (long)command.ExecuteScalar()!);
    }
}
