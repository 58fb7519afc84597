namespace FlowDashboard.Bench;

/// <summary>
/// The targets, held against the results: the bench shows where the engine stands and asserts
/// nothing. Also fills in each line's ratio to the limit P0 measured in the same run.
/// </summary>
public static class Targets
{
    /// <summary>W1, 100 runs in flight, WAL+FULL.</summary>
    public const double StepsPerSecondAt100InFlight = 5_000;

    /// <summary>W1 on PostgreSQL, 100 runs in flight: group commit makes steps at least this many times the 1-row commits of P0.</summary>
    public const double PostgreSqlRatioAt100InFlight = 2;

    /// <summary>W1 on PostgreSQL, 1 run in flight: from the trigger call to the first step's code.</summary>
    public const double PostgreSqlFirstStepMs = 10;

    /// <summary>W1, 1 run in flight: a step may cost this much more than one commit.</summary>
    public const double StepOverheadMs = 1;

    /// <summary>W1, 1 run in flight: from the trigger call to the first step's code.</summary>
    public const double FirstStepMs = 5;

    /// <summary>W4: two nodes on one PostgreSQL keep at least this share of one node's steps per second.</summary>
    public const double TwoNodesShareOfOneNode = 0.8;

    /// <summary>R1: W1 while the retention purge runs keeps at least this share of W1 on the same store without it.</summary>
    public const double PurgingShareOfW1 = 0.9;

    /// <summary>W2: the 95th percentile of the wake-up lateness.</summary>
    public const double LatenessP95Ms = 250;

    /// <summary>B1: the p95 time to record a batch of 1,000 runs ("well under a second").</summary>
    public const double BatchP95Ms = 500;

    /// <summary>Returns the results with ratios and the W1, W4, W2 and B1 targets filled in (W3 fills its own).</summary>
    public static IReadOnlyList<BenchResult> Assess(IReadOnlyList<BenchResult> results)
    {
        var limits = results.Where(r => r.Scenario == Scenarios.PhysicalLimit.Name && r.StepsPerSecond is not null)
            .ToDictionary(r => r.Setting, StringComparer.Ordinal);
        var oneNode = results.FirstOrDefault(r => r.Scenario == Scenarios.TwoNodes.Name && r.Setting == Scenarios.TwoNodes.Setting(1))?.StepsPerSecond;
        var unpurged = results.FirstOrDefault(r => r.Scenario == Scenarios.PurgeUnderLoad.Name && r.Setting == Scenarios.PurgeUnderLoad.Setting(purging: false))?.StepsPerSecond;
        return results.Select(result =>
        {
            var limit = result.LimitSetting is { } setting ? limits.GetValueOrDefault(setting) : null;
            if (limit is not null && result.StepsPerSecond is { } steps) result = result with { RatioToLimit = steps / limit.StepsPerSecond!.Value };
            if (result.Scenario == Scenarios.EngineThroughput.Name && result.StepsPerSecond is not null)
            {
                if (result.Setting == "100 in flight, PostgreSQL" && result.RatioToLimit is { } ratio)
                {
                    result = result with { Target = $">= {PostgreSqlRatioAt100InFlight:0}x the limit", MeetsTarget = ratio >= PostgreSqlRatioAt100InFlight };
                }
                else if (result.Setting == "1 in flight, PostgreSQL")
                {
                    result = result with { Target = $"first step < {PostgreSqlFirstStepMs:0} ms", MeetsTarget = result.LatencyP50Ms < PostgreSqlFirstStepMs };
                }
                else if (result.Setting.StartsWith("100 in flight, WAL+FULL", StringComparison.Ordinal))
                {
                    result = result with { Target = $">= {StepsPerSecondAt100InFlight:N0} steps/s", MeetsTarget = result.StepsPerSecond >= StepsPerSecondAt100InFlight };
                }
                else if (result.Setting.StartsWith("1 in flight", StringComparison.Ordinal) && limit?.MsPerStepP50 is { } commitMs)
                {
                    var bound = commitMs + StepOverheadMs;
                    result = result with
                    {
                        Target = $"ms/step p50 <= 1 commit + {StepOverheadMs:0} ms = {bound:0.00}; first step < {FirstStepMs:0} ms",
                        MeetsTarget = result.MsPerStepP50 <= bound && result.LatencyP50Ms < FirstStepMs,
                    };
                }
            }

            if (result.Scenario == Scenarios.TwoNodes.Name && result.Setting == Scenarios.TwoNodes.Setting(2) && result.StepsPerSecond is { } twoNodes && oneNode is { } one)
            {
                var bound = one * TwoNodesShareOfOneNode;
                result = result with
                {
                    Target = $">= {TwoNodesShareOfOneNode * 100:0}% of 1 node's {one:N0} steps/s = {bound:N0}",
                    MeetsTarget = twoNodes >= bound,
                };
            }

            if (result.Scenario == Scenarios.PurgeUnderLoad.Name && result.Setting == Scenarios.PurgeUnderLoad.Setting(purging: true) && result.StepsPerSecond is { } purgingSteps && unpurged is { } plain)
            {
                var bound = plain * PurgingShareOfW1;
                result = result with
                {
                    Target = $">= {PurgingShareOfW1 * 100:0}% of {plain:N0} steps/s without the purge = {bound:N0}",
                    MeetsTarget = purgingSteps >= bound,
                };
            }

            if (result.Scenario == Scenarios.SleepLateness.Name && result.LatencyP95Ms is { } p95)
            {
                result = result with { Target = $"p95 < {LatenessP95Ms:0} ms", MeetsTarget = p95 < LatenessP95Ms };
            }

            if (result.Scenario == Scenarios.BatchTrigger.Name && result.Setting.StartsWith("one batch", StringComparison.Ordinal) && result.LatencyP95Ms is { } batch)
            {
                result = result with { Target = $"p95 < {BatchP95Ms:0} ms", MeetsTarget = batch < BatchP95Ms };
            }

            return result;
        }).ToList();
    }

    /// <summary>The figures a line's target is judged on, in words.</summary>
    public static string Measured(BenchResult result) => result switch
    {
        { Latency: "query time" } => $"p50 {result.LatencyP50Ms:0.0} ms (p95 {result.LatencyP95Ms:0.0} ms)",
        { Latency: "wake-up lateness" or "time to record 1,000 runs" } => $"p95 {result.LatencyP95Ms:0} ms (p50 {result.LatencyP50Ms:0} ms)",
        { Setting: var setting } when setting.StartsWith("1 in flight", StringComparison.Ordinal) =>
            $"ms/step p50 {result.MsPerStepP50:0.00}, first step p50 {result.LatencyP50Ms:0.0} ms (p95 {result.LatencyP95Ms:0.0} ms)",
        _ => $"{result.StepsPerSecond:N0} steps/s",
    };
}
