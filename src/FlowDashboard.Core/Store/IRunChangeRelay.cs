namespace FlowDashboard.Store;

/// <summary>
/// Carries the run changes committed on this node to the other nodes sharing the store, and theirs to this node's
/// <see cref="Queries.RunChangeFeed"/>, so a console served by any node shows every node's work live, and an
/// execution hears at once of an event or a child's end committed elsewhere. Only where several processes share the
/// store; a single-process store needs none.
/// </summary>
internal interface IRunChangeRelay : IAsyncDisposable
{
    /// <summary>Queues a change committed on this node for the other nodes; never blocks (changes are sent coalesced).</summary>
    void Send(string runId);

    /// <summary>Completes once this node hears the other nodes' changes: a node that has started misses none of them.</summary>
    Task Listening { get; }
}
