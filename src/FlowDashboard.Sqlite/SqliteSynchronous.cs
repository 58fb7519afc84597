namespace FlowDashboard;

/// <summary>SQLite's <c>synchronous</c> levels that keep a WAL database consistent.</summary>
public enum SqliteSynchronous
{
    /// <summary>Durable across process crashes; a power loss may lose the last commits.</summary>
    Normal,

    /// <summary>Durable across power loss: every commit is synced to disk.</summary>
    Full,
}
