using FlowDashboard.Store;
using FlowDashboard.Transitions;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Engine;

/// <summary>
/// An execution's hold on one run. It is renewed in the background; when renewal finds the lease gone
/// (the run was cancelled, or another worker took it over) <see cref="Token"/> is cancelled, as it is on shutdown.
/// </summary>
internal sealed class RunLease : IAsyncDisposable
{
    private readonly ExecutionTransitions store;
    private readonly TimeSpan duration;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource linked;
    private readonly Task renewal;
    private readonly Lock writeGate = new();
    private QueuedWrite? lastWrite;

    public RunLease(string runId, string owner, ExecutionTransitions store, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken shutdown)
    {
        RunId = runId;
        Owner = owner;
        this.store = store;
        this.duration = duration;
        this.time = time;
        this.logger = logger;
        Shutdown = shutdown;
        linked = CancellationTokenSource.CreateLinkedTokenSource(lost.Token, shutdown);
        renewal = RenewAsync();
    }

    public string RunId { get; }
    public string Owner { get; }
    public CancellationToken Shutdown { get; }

    /// <summary>Cancelled when the lease is lost or the host shuts down.</summary>
    public CancellationToken Token => linked.Token;

    public bool IsLost => lost.IsCancellationRequested;

    public void MarkLost() => lost.Cancel();

    /// <summary>
    /// Queues the execution's next write through <paramref name="enqueue"/>, which is given the write queued
    /// before it (null for the first); the two are queued under one lock, so their order is the queue's order.
    /// </summary>
    public QueuedWrite Chain(Func<QueuedWrite?, QueuedWrite> enqueue)
    {
        lock (writeGate) return lastWrite = enqueue(lastWrite);
    }

    /// <summary>Whether a commit of this execution has already given the lease up (the run completed or suspended).</summary>
    public bool Released { get; private set; }

    /// <summary>Notes that a commit gave the lease up, so the execution need not release it again.</summary>
    public void MarkReleased() => Released = true;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await renewal;
        }
        catch (OperationCanceledException)
        {
        }

        linked.Dispose();
        lost.Dispose();
        stop.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(duration / 3, time);
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            try
            {
                if (!await store.RenewAsync(this, duration, stop.Token))
                {
                    logger.LogDebug("Run {RunId} lost its lease (cancelled or taken over); its execution stops", RunId);
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Renewing the lease of run {RunId} failed; trying again", RunId);
            }
        }
    }
}
