using System.Diagnostics;

namespace FlowDashboard.Bench.Measurement;

/// <summary>
/// The CPU time this process has used (every thread: engine, SQLite, the bench's own small share), so a
/// scenario can tell computing from waiting: CPU per step, and how many cores were busy on average.
/// </summary>
public sealed class CpuClock
{
    private readonly TimeSpan startCpu = Used();
    private readonly long startWall = Ticks.Now;
    private readonly (long Busy, long All)? startMachine = Machine();

    /// <summary>CPU milliseconds used since this clock started.</summary>
    public double ElapsedCpuMs => (Used() - startCpu).TotalMilliseconds;

    /// <summary>Cores busy on average since this clock started.</summary>
    public double Cores => ElapsedCpuMs / Ticks.Ms(startWall, Ticks.Now);

    /// <summary>
    /// Cores busy on average on the whole machine since this clock started (every process: a PostgreSQL server on it
    /// included), out of <see cref="Environment.ProcessorCount"/>; null where <c>/proc/stat</c> cannot be read.
    /// </summary>
    public double? MachineCores =>
        startMachine is { } start && Machine() is { } now && now.All > start.All
            ? (double)(now.Busy - start.Busy) / (now.All - start.All) * Environment.ProcessorCount
            : null;

    // The first line of /proc/stat: the time all cores spent in each state since boot; idle and iowait are not busy.
    private static (long Busy, long All)? Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var all = fields.Take(8).Sum();
            return (all - fields[3] - fields[4], all);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static TimeSpan Used()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
