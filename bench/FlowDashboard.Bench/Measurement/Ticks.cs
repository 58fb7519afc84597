using System.Diagnostics;

namespace FlowDashboard.Bench.Measurement;

/// <summary>Stopwatch timestamps turned into milliseconds and seconds.</summary>
public static class Ticks
{
    /// <summary>Now, as a <see cref="Stopwatch"/> timestamp.</summary>
    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Milliseconds between two timestamps.</summary>
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>Seconds between two timestamps.</summary>
    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
