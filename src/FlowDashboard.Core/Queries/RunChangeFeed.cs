namespace FlowDashboard.Queries;

/// <summary>
/// Tells in-process subscribers (the console's open pages) that a run changed, right after the change is
/// committed, so a page re-reads it instead of polling. It carries only the run id: readers query the store.
/// </summary>
public sealed class RunChangeFeed
{
    private readonly Lock gate = new();
    private Action<string>[] subscribers = [];

    /// <summary>Calls <paramref name="onChange"/> with the run id after every committed change, until the result is disposed.</summary>
    /// <param name="onChange">Called on the engine's thread: it must return quickly and not throw.</param>
    public IDisposable Subscribe(Action<string> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (gate) subscribers = [.. subscribers, onChange];
        return new Subscription(this, onChange);
    }

    internal void Publish(string runId)
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

    private void Unsubscribe(Action<string> onChange)
    {
        lock (gate) subscribers = subscribers.Where(s => s != onChange).ToArray();
    }

    private sealed class Subscription(RunChangeFeed feed, Action<string> onChange) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(onChange);
    }
}
