using Microsoft.Data.Sqlite;

namespace FlowDashboard.Bench.Measurement;

/// <summary>A fresh folder under the system's temp folder, deleted with everything in it on disposal.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates a folder named after <paramref name="scenario"/>.</summary>
    public TempFolder(string scenario)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flowdashboard-bench-{scenario}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        // Pooled connections keep the files open (and a WAL file on disk) until the pool lets go of them.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A storage that still holds a file open: the OS cleans the temp folder eventually.
        }
    }
}
