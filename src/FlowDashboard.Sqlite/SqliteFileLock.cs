using FlowDashboard.Exceptions;

namespace FlowDashboard.Sqlite;

/// <summary>
/// Holds <c>&lt;file&gt;.lock</c> open with an exclusive lock for the life of the process, so a second
/// process on the same SQLite file refuses to start. The OS drops the lock when the process dies, even by kill -9.
/// </summary>
internal sealed class SqliteFileLock : IDisposable
{
    private readonly FileStream stream;

    private SqliteFileLock(FileStream stream) => this.stream = stream;

    /// <exception cref="StoreInUseException">Another process holds the lock.</exception>
    public static SqliteFileLock Acquire(string databasePath)
    {
        var directory = Path.GetDirectoryName(databasePath);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        try
        {
            return new SqliteFileLock(new FileStream(databasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new StoreInUseException(databasePath, ex);
        }
    }

    public void Dispose() => stream.Dispose();
}
