using System.Text.Json.Serialization;

namespace FlowDashboard.Bench;

/// <summary>One line of the results: one scenario in one setting. Figures that do not apply are null.</summary>
/// <param name="Scenario">P0, W1, a peer, W2 or W3, with a few words.</param>
/// <param name="Setting">In-flight runs, durability, the query timed.</param>
public sealed record BenchResult(string Scenario, string Setting)
{
    /// <summary>Whether a process crash (or, with synchronous=FULL, a power loss) keeps what was committed.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>Runs (chains, workflow instances) finished in the measured window.</summary>
    public int? Runs { get; init; }

    /// <summary>Steps (jobs, commits for P0) finished in the measured window.</summary>
    public int? Steps { get; init; }

    /// <summary>The measured window: first trigger to last run final.</summary>
    public double? Seconds { get; init; }

    /// <summary>Runs per second.</summary>
    public double? RunsPerSecond { get; init; }

    /// <summary>Steps per second.</summary>
    public double? StepsPerSecond { get; init; }

    /// <summary>Median time from one step's code starting to the next one's in the same run (P0: one commit).</summary>
    public double? MsPerStepP50 { get; init; }

    /// <summary>95th percentile of the same.</summary>
    public double? MsPerStepP95 { get; init; }

    /// <summary>Commits that changed rows, per step; null where nothing is committed or they could not be counted.</summary>
    public double? CommitsPerStep { get; init; }

    /// <summary>CPU time the whole process used in the measured window, per step (the bench's own share is small).</summary>
    public double? CpuMsPerStep { get; init; }

    /// <summary>Cores busy on average in the measured window (the machine has <see cref="Environment.ProcessorCount"/>).</summary>
    public double? CpuCores { get; init; }

    /// <summary>Steps per second divided by P0's commits per second at the same synchronous level.</summary>
    public double? RatioToLimit { get; init; }

    /// <summary>What <see cref="LatencyP50Ms"/> and <see cref="LatencyP95Ms"/> measure (trigger to first step, wake-up lateness, query time).</summary>
    public string? Latency { get; init; }

    /// <summary>Median of that latency.</summary>
    public double? LatencyP50Ms { get; init; }

    /// <summary>95th percentile of that latency.</summary>
    public double? LatencyP95Ms { get; init; }

    /// <summary>The target from the issue this line is held against, in words; null for none.</summary>
    public string? Target { get; init; }

    /// <summary>Whether the line meets <see cref="Target"/>; null without a target.</summary>
    public bool? MeetsTarget { get; init; }

    /// <summary>What else a reader needs to know about the line.</summary>
    public string? Note { get; init; }

    /// <summary>The P0 line the ratio is taken against ("WAL+FULL" or "WAL+NORMAL"); null for none.</summary>
    [JsonIgnore]
    public string? LimitSetting { get; init; }
}
