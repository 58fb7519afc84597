namespace FlowDashboard.Queries;

/// <summary>
/// Tells subscribers in this process (the console's open pages, executions waiting for something) that a run
/// changed, right after the change is committed, so a page re-reads it instead of polling. It carries only the run
/// id: readers query the store. Where nodes share the store, changes committed on the others arrive too (see
/// <see cref="Store.IRunChangeRelay"/>).
/// </summary>
public sealed class RunChangeFeed
{
    private readonly Lock gate = new();
    private Action<string>[] subscribers = [];
    private Store.IRunChangeRelay? relay;

    /// <summary>Calls <paramref name="onChange"/> with the run id after every committed change, until the result is disposed.</summary>
    /// <param name="onChange">Called on the engine's thread: it must return quickly and not throw.</param>
    public IDisposable Subscribe(Action<string> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (gate) subscribers = [.. subscribers, onChange];
        return new Subscription(this, onChange);
    }

    /// <summary>A change committed on this node: told here, and to the other nodes.</summary>
    internal void Publish(string runId)
    {
        Deliver(runId);
        Volatile.Read(ref relay)?.Send(runId);
    }

    /// <summary>A change committed on another node, as the relay heard it: told here only.</summary>
    internal void Deliver(string runId)
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            try
            {
                subscriber(runId);
            }
            catch (Exception)
            {
                // A page's handler never gets to fail the engine's write that triggered it.
            }
        }
    }

    /// <summary>Sends this node's changes to the others through <paramref name="relaying"/> from now on (null: no more).</summary>
    internal void Relay(Store.IRunChangeRelay? relaying) => Volatile.Write(ref relay, relaying);

    private void Unsubscribe(Action<string> onChange)
    {
        lock (gate) subscribers = subscribers.Where(s => s != onChange).ToArray();
    }

    private sealed class Subscription(RunChangeFeed feed, Action<string> onChange) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(onChange);
    }
}
