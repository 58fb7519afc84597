using System.Collections.Concurrent;

namespace FlowDashboard.Engine;

/// <summary>
/// The single thread of a workflow body: every continuation of the body is posted here and run one at a
/// time by the execution's driver, so the body's progress (and which step it asks for next) is decided in
/// one deterministic order, and the driver can tell when the body has nothing left to do.
/// </summary>
internal sealed class ExecutionLoop : SynchronizationContext
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> queue = new();

    /// <summary>True while the driver runs body code: a step asked for elsewhere is a body that left its thread.</summary>
    public bool IsCurrent => Current == this;

    public override void Post(SendOrPostCallback d, object? state) => queue.Enqueue((d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("A workflow body runs on its own loop; it cannot be entered synchronously.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> as body code, then every continuation it posted, until none is left.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (queue.TryDequeue(out var item)) item.Callback(item.State);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
