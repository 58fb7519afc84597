using System.Globalization;

namespace FlowDashboard.Bench.Reporting;

/// <summary>The results as rows of cells, the same for the console and the markdown.</summary>
public static class ResultTable
{
    /// <summary>The columns' headers.</summary>
    public static readonly string[] Headers =
        ["scenario", "setting", "runs/s", "steps/s", "ms/step p50", "ms/step p95", "commits/step", "CPU ms/step", "cores busy", "x limit", "latency", "p50 ms", "p95 ms", "target", "note"];

    /// <summary>One row per result.</summary>
    public static IEnumerable<string[]> Rows(IEnumerable<BenchResult> results) => results.Select(r => new[]
    {
        r.Scenario,
        r.Setting,
        Number(r.RunsPerSecond),
        Number(r.StepsPerSecond),
        Ms(r.MsPerStepP50),
        Ms(r.MsPerStepP95),
        r.CommitsPerStep is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : r.StepsPerSecond is null ? "-" : r.Durable ? "n/a" : "none",
        Ms(r.CpuMsPerStep),
        r.CpuCores is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "-",
        r.RatioToLimit is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "-",
        r.Latency ?? "-",
        Ms(r.LatencyP50Ms),
        Ms(r.LatencyP95Ms),
        r.Target is null ? "-" : $"{(r.MeetsTarget == true ? "met" : "MISSED")}: {r.Target}",
        r.Note ?? string.Empty,
    });

    /// <summary>A few figures of one result, for the progress log.</summary>
    public static string Brief(BenchResult r) => string.Join(", ", new[]
    {
        r.StepsPerSecond is { } s ? $"{Number(s)} steps/s" : null,
        r.MsPerStepP50 is { } p ? $"{Ms(p)} ms/step p50" : null,
        r.CommitsPerStep is { } c ? $"{c:0.00} commits/step" : null,
        r.CpuMsPerStep is { } cpu ? $"CPU {Ms(cpu)} ms/step on {r.CpuCores:0.00} cores" : null,
        r.LatencyP50Ms is { } l ? $"{r.Latency} p50 {Ms(l)} / p95 {Ms(r.LatencyP95Ms)} ms" : null,
    }.Where(part => part is not null));

    private static string Number(double? value) => value switch
    {
        null => "-",
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string Ms(double? value) => value switch
    {
        null => "-",
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
