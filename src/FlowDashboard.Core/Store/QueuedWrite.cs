namespace FlowDashboard.Store;

/// <summary>
/// One write waiting in the <see cref="CommitQueue"/>: queued, then started by the writer (from then on it
/// cannot be taken back), then durable or failed. <see cref="Done"/> says which. A write with a <see cref="LeaseFence"/>
/// runs only while its execution holds the run's lease.
/// </summary>
internal sealed class QueuedWrite(Func<WriteBatch, Task> work, LeaseFence? fence)
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Dropped once committed, failed or taken back: an execution's writes chain to the one before them, and a write
    // kept alive by the next would keep every earlier one (and the step results they carry) alive until the execution ends.
    private Func<WriteBatch, Task>? work = work;
    private Exception? error;
    private bool failed;
    private int state;

    /// <summary>Completes once the write is durable; faults with its error; is cancelled when taken back.</summary>
    public Task Done => done.Task;

    /// <summary>
    /// Whether the write failed or will never run: taken back, its statements failed, or its batch's commit
    /// did. Set by the writer before it runs the next write, so a later write can check an earlier one.
    /// </summary>
    public bool Failed => Volatile.Read(ref failed);

    /// <summary>Waits until the write is durable; <paramref name="cancellationToken"/> takes it back while it is still queued.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static w => ((QueuedWrite)w!).TryCancel(), this))
        {
            await Done;
        }
    }

    /// <summary>Takes the write back if the writer has not started it; true when it will never run.</summary>
    public bool TryCancel()
    {
        if (Interlocked.CompareExchange(ref state, Cancelled, Queued) != Queued) return false;
        work = null;
        Volatile.Write(ref failed, true);
        done.TrySetCanceled();
        return true;
    }

    /// <summary>Called by the writer: false when the write was taken back first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref state, Started, Queued) == Queued;

    /// <summary>
    /// Begins the write (its savepoint when <paramref name="savepoint"/>, its lease check) and runs its statements; false
    /// when the lease is lost or they failed (the write is then undone, and <see cref="Finish"/> reports the error).
    /// An error <paramref name="isTransient"/> accepts is thrown instead: the batch is rolled back and run again, this
    /// write with it.
    /// </summary>
    public async Task<bool> RunAsync(WriteBatch batch, bool savepoint, Func<Exception, bool> isTransient)
    {
        error = null;
        Volatile.Write(ref failed, false);

        // Beginning fails only with the connection: the whole batch fails (a lost lease fails this write alone).
        var leaseHeld = batch.Commands.BeginWrite(savepoint, fence);
        try
        {
            if (!leaseHeld) throw new Engine.LeaseLostException(fence!.RunId);
            await work!(batch);
            return true;
        }
        catch (Exception ex) when (!isTransient(ex))
        {
            error = ex;
            Volatile.Write(ref failed, true);
            return false;
        }
    }

    /// <summary>The batch is committed: the write is durable, or reports why it was rolled back.</summary>
    public void Finish()
    {
        work = null;
        if (error is null) done.TrySetResult();
        else done.TrySetException(error);
    }

    /// <summary>The batch's commit failed: nothing of the write is recorded.</summary>
    public void Fail(Exception commitError)
    {
        work = null;
        Volatile.Write(ref failed, true);
        done.TrySetException(commitError);
    }
}
