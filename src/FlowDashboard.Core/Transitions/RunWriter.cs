using FlowDashboard.Engine;
using FlowDashboard.Queries;
using FlowDashboard.Store;

namespace FlowDashboard.Transitions;

/// <summary>
/// How every transition writes: in the next group commit (see <see cref="CommitQueue"/>), fenced by the
/// execution's lease when it is made on an execution's behalf, and told to the console once committed.
/// Each class of transitions holds one; none of them writes any other way.
/// </summary>
internal sealed class RunWriter(CommitQueue writes, RunChangeFeed changes, TimeProvider time)
{
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Runs a write in the next group commit.</summary>
    public Task<T> WriteAsync<T>(Func<WriteBatch, Task<T>> work, CancellationToken cancellationToken) =>
        writes.WriteAsync(work, cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}(Func{WriteBatch, Task{T}}, CancellationToken)"/>
    public Task<T> WriteAsync<T>(Func<FlowDbContext, DateTime, Task<T>> work, CancellationToken cancellationToken) =>
        writes.WriteAsync(batch => work(batch.Db, batch.Now), cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}(Func{WriteBatch, Task{T}}, CancellationToken)"/>
    public Task WriteAsync(Func<FlowDbContext, DateTime, Task> work, CancellationToken cancellationToken) =>
        writes.WriteAsync(batch => work(batch.Db, batch.Now), cancellationToken);

    /// <summary>
    /// Runs a write that reads the run and then changes it (an operator's action) with the run's row locked first, so
    /// no other writer (an execution, another node) comes between the read and the write.
    /// </summary>
    public Task<T> WriteRunAsync<T>(string runId, Func<FlowDbContext, DateTime, Task<T>> work, CancellationToken cancellationToken) =>
        writes.WriteAsync(batch =>
        {
            batch.Commands.LockRun(runId);
            return work(batch.Db, batch.Now);
        }, cancellationToken);

    /// <inheritdoc cref="WriteRunAsync{T}"/>
    public Task WriteRunAsync(string runId, Func<FlowDbContext, DateTime, Task> work, CancellationToken cancellationToken) =>
        writes.WriteAsync(batch =>
        {
            batch.Commands.LockRun(runId);
            return work(batch.Db, batch.Now);
        }, cancellationToken);

    /// <summary>
    /// Queues a write of an execution: it commits only while the execution holds the run's lease, and only if
    /// every earlier write of the execution succeeded. Writes are applied in the order they are queued, so once
    /// this one is durable, so is everything the execution wrote before it.
    /// </summary>
    public QueuedWrite Enqueue(RunLease lease, Func<WriteBatch, Task> work) =>
        lease.Chain(earlier => writes.Enqueue(
            batch => earlier is { Failed: true } ? throw new LeaseLostException(lease.RunId) : work(batch),
            new LeaseFence(lease.RunId, lease.Owner)));

    /// <summary>A write of an execution (see <see cref="Enqueue"/>); completes once it is durable.</summary>
    public async Task<T> WriteAsync<T>(RunLease lease, Func<WriteBatch, Task<T>> work, CancellationToken cancellationToken)
    {
        T result = default!;
        await Enqueue(lease, async batch => result = await work(batch)).WaitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc cref="WriteAsync{T}(RunLease, Func{WriteBatch, Task{T}}, CancellationToken)"/>
    public Task<T> WriteAsync<T>(RunLease lease, Func<FlowDbContext, DateTime, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(lease, batch => work(batch.Db, batch.Now), cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}(RunLease, Func{WriteBatch, Task{T}}, CancellationToken)"/>
    public Task WriteAsync(RunLease lease, Func<FlowDbContext, DateTime, Task> work, CancellationToken cancellationToken) =>
        Enqueue(lease, batch => work(batch.Db, batch.Now)).WaitAsync(cancellationToken);

    /// <summary>
    /// Tells the console (and an execution holding the run while it runs other steps) that the run changed; a
    /// null run id (no parent was woken, say) tells nothing.
    /// </summary>
    public void Publish(string? runId)
    {
        if (runId is not null) changes.Publish(runId);
    }
}
