namespace FlowDashboard.Bench.Measurement;

/// <summary>Throughput and latencies of the runs a <see cref="RunTracker"/> saw finish.</summary>
/// <param name="Runs">Runs seen final.</param>
/// <param name="Steps">Their steps.</param>
/// <param name="Seconds">From the first trigger to the last run seen final.</param>
/// <param name="StepGapsMs">Time from one step's code starting to the next one's, within each run.</param>
/// <param name="FirstStepMs">Time from the trigger call to the first step's code starting.</param>
public sealed record ThroughputStats(int Runs, int Steps, double Seconds, IReadOnlyList<double> StepGapsMs, IReadOnlyList<double> FirstStepMs)
{
    /// <summary>Runs per second of wall time.</summary>
    public double RunsPerSecond => Runs / Seconds;

    /// <summary>Steps per second of wall time.</summary>
    public double StepsPerSecond => Steps / Seconds;

    /// <summary>Computes the figures of every finished run of <paramref name="tracker"/>.</summary>
    /// <param name="tracker">The runs.</param>
    /// <param name="endedAt">When the last run was confirmed final, if later than the tracker saw it.</param>
    public static ThroughputStats From(RunTracker tracker, long? endedAt = null)
    {
        var finished = tracker.Runs.Where(r => r.FinalAt != 0).ToList();
        if (finished.Count == 0) throw new InvalidOperationException("No run finished.");
        var start = finished.Min(r => r.TriggeredAt);
        var end = Math.Max(finished.Max(r => r.FinalAt), endedAt ?? 0);
        var gaps = new List<double>();
        var first = new List<double>();
        foreach (var run in finished)
        {
            if (run.StepAt[0] != 0) first.Add(Ticks.Ms(run.TriggeredAt, run.StepAt[0]));
            for (var i = 1; i < run.StepAt.Length; i++)
            {
                if (run.StepAt[i] != 0 && run.StepAt[i - 1] != 0) gaps.Add(Ticks.Ms(run.StepAt[i - 1], run.StepAt[i]));
            }
        }

        return new ThroughputStats(finished.Count, finished.Count * tracker.StepsPerRun, Ticks.Seconds(start, end), gaps, first);
    }
}
