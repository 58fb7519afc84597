using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Store;

/// <summary>
/// Group commit: the store's one writer. Writes from every run in flight queue here and are applied together
/// in one transaction, one commit (one fsync) for all of them; each caller's task completes only once that
/// commit is durable, so no body goes past a step before its result is. Each write of a batch runs inside a
/// savepoint: one that fails (a lost lease, a conflict) is rolled back alone and its caller gets the error.
/// The writer keeps one connection open, with the hot path's statements prepared on it (<see cref="IWriterCommands"/>).
/// Where other processes write the same store, a batch can meet one of their transactions in a deadlock: the
/// database rolls the batch back whole, and it runs again (each write once more, nothing doubled or lost).
/// </summary>
internal sealed partial class CommitQueue : IAsyncDisposable
{
    private readonly IDbContextFactory<FlowDbContext> contexts;
    private readonly IStoreProvider store;
    private readonly TimeProvider time;
    private readonly ILogger<CommitQueue> logger;
    private readonly Channel<QueuedWrite> queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private FlowDbContext? db;
    private IWriterCommands? commands;

    public CommitQueue(IDbContextFactory<FlowDbContext> contexts, IStoreProvider store, TimeProvider time, ILogger<CommitQueue> logger)
    {
        this.contexts = contexts;
        this.store = store;
        this.time = time;
        this.logger = logger;
        writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Applies <paramref name="work"/> in the next group commit; completes with its result once that commit is durable.</summary>
    /// <param name="work">The statements of one write, given the batch.</param>
    /// <param name="cancellationToken">Abandons the write if it is still waiting for its batch.</param>
    public async Task<T> WriteAsync<T>(Func<WriteBatch, Task<T>> work, CancellationToken cancellationToken)
    {
        T result = default!;
        await Enqueue(async batch => result = await work(batch)).WaitAsync(cancellationToken);
        return result;
    }

    /// <summary>Applies <paramref name="work"/> in the next group commit; completes once that commit is durable.</summary>
    public Task WriteAsync(Func<WriteBatch, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async batch =>
        {
            await work(batch);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Queues <paramref name="work"/> without waiting for it: the caller goes on and may take the write back
    /// (<see cref="QueuedWrite.TryCancel"/>) while it still waits for its batch. Writes are applied in the
    /// order they were queued, so a later write sees what an earlier one did. With a <paramref name="fence"/>, the
    /// write runs only while the execution holds the run's lease.
    /// </summary>
    public QueuedWrite Enqueue(Func<WriteBatch, Task> work, LeaseFence? fence = null)
    {
        var write = new QueuedWrite(work, fence);
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(write), this);
        return write;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        commands?.Dispose();
        if (db is not null) await db.DisposeAsync();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<QueuedWrite>(store.MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < store.MaxBatch && queue.Reader.TryRead(out var write))
            {
                if (write.TryStart()) batch.Add(write);
            }

            if (batch.Count == 0) continue;
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception ex)
            {
                // The commit itself failed (disk full, I/O): none of the batch is durable, every caller hears it,
                // and the next batch starts on a new connection.
                LogCommitFailed(ex, batch.Count);
                foreach (var write in batch) write.Fail(ex);
                await ResetAsync();
                continue;
            }

            foreach (var write in batch) write.Finish();
        }
    }

    /// <summary>How often a batch runs again after a deadlock or serialization failure before its writes fail.</summary>
    private const int MaxAttempts = 10;

    private async Task CommitAsync(List<QueuedWrite> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOnceAsync(batch);
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && store.IsTransient(ex))
            {
                // The transaction is rolled back (its `await using`): the batch starts again on the same connection.
                LogBatchRetried(ex, batch.Count, attempt);
            }
        }
    }

    private async Task CommitOnceAsync(List<QueuedWrite> batch)
    {
        if (db is null)
        {
            db = await contexts.CreateDbContextAsync();

            // Each write has a savepoint of its own; EF's own around SaveChanges would only add statements.
            db.Database.AutoSavepointsEnabled = false;
            await db.Database.OpenConnectionAsync();
            commands = store.CreateWriterCommands(db.Database.GetDbConnection());
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        commands!.Enlist(transaction.GetDbTransaction());
        var context = new WriteBatch(db, commands, time.GetUtcNow().UtcDateTime);
        try
        {
            if (batch.Count == 1)
            {
                // Alone in its commit: a failed write is rolled back whole, without a savepoint's statements.
                if (await batch[0].RunAsync(context, savepoint: false, store.IsTransient)) await transaction.CommitAsync();
                else await transaction.RollbackAsync();
                return;
            }

            foreach (var write in batch)
            {
                commands.EndWrite(keep: await write.RunAsync(context, savepoint: true, store.IsTransient));
                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync();
        }
        finally
        {
            db.ChangeTracker.Clear();
            commands.Enlist(null);
        }
    }

    private async Task ResetAsync()
    {
        commands?.Dispose();
        commands = null;
        if (db is not null) await db.DisposeAsync();
        db = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A group commit of {Count} write(s) met another transaction (attempt {Attempt}) and runs again")]
    private partial void LogBatchRetried(Exception error, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} write(s) failed; none of them is recorded")]
    private partial void LogCommitFailed(Exception error, int count);
}
