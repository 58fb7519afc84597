namespace FlowDashboard.Engine;

/// <summary>
/// One piece of work an execution runs off the body's thread (a step's attempt, a sleep's record). It hands
/// the body exactly one outcome; a completion is handed over inside the commit gate, so the body sees
/// completions in the order they were recorded, which is the order a replay releases them in.
/// </summary>
internal sealed class LiveOperation(Action<Action> deliver)
{
    private int delivered;

    public void Deliver(Action outcome)
    {
        if (Interlocked.Exchange(ref delivered, 1) == 0) deliver(outcome);
    }
}
