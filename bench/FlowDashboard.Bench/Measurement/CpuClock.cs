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

    /// <summary>CPU milliseconds used since this clock started.</summary>
    public double ElapsedCpuMs => (Used() - startCpu).TotalMilliseconds;

    /// <summary>Cores busy on average since this clock started.</summary>
    public double Cores => ElapsedCpuMs / Ticks.Ms(startWall, Ticks.Now);

    private static TimeSpan Used()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
