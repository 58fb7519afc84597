namespace FlowDashboard.Exceptions;

/// <summary>Another process already uses the embedded SQLite store; only one may.</summary>
/// <param name="databasePath">The SQLite file.</param>
/// <param name="innerException">The locking error.</param>
public sealed class StoreInUseException(string databasePath, Exception innerException)
    : FlowDashboardException(
        $"Another process is already using the FlowDashboard store '{databasePath}' (it holds '{databasePath}.lock'). " +
        "An embedded SQLite store serves one process at a time: stop the other process, point this one at another file, " +
        "or use the cluster profile (PostgreSQL) to run several nodes.",
        innerException)
{
    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; } = databasePath;
}
