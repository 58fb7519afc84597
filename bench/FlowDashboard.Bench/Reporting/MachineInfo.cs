using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Bench.Reporting;

/// <summary>What the numbers were measured on.</summary>
/// <param name="Cpu">The CPU's model name.</param>
/// <param name="Cores">Logical cores the process may use.</param>
/// <param name="MemoryGiB">Physical memory.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="Sqlite">The native SQLite library's version.</param>
/// <param name="TempFileSystem">The file system the scenarios' files live on (the temp folder's).</param>
/// <param name="LoadAverageBefore">The 1-minute load average when the bench started (other processes share the cores).</param>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string Sqlite, string TempFileSystem, double? LoadAverageBefore)
{
    /// <summary>The 1-minute load average when the bench ended.</summary>
    public double? LoadAverageAfter { get; init; }

    /// <summary>One line for the top of the output.</summary>
    public string Summary =>
        $"{Cpu}, {Cores} cores, {MemoryGiB:0} GiB; {Os}; {Runtime}; SQLite {Sqlite}; temp on {TempFileSystem}; load average {LoadAverageBefore?.ToString("0.00") ?? "?"}";

    /// <summary>Reads the machine's facts.</summary>
    public static MachineInfo Read()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memoryKb = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memoryKb, out var kb) ? kb / 1024.0 / 1024.0 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0;
        string sqlite;
        using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            // Opening a connection also initializes SQLitePCL's provider for the commit hooks.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            sqlite = (string)command.ExecuteScalar()!;
        }

        string fileSystem;
        try
        {
            fileSystem = new DriveInfo(Path.GetTempPath()).DriveFormat;
        }
        catch (ArgumentException)
        {
            fileSystem = "?";
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, sqlite, fileSystem, LoadAverage());
    }

    /// <summary>The 1-minute load average, where the OS tells it.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static string? FirstValue(string file, string key)
    {
        if (!File.Exists(file)) return null;
        return File.ReadLines(file)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
