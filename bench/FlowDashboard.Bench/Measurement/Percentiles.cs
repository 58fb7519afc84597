namespace FlowDashboard.Bench.Measurement;

/// <summary>Percentiles of a sample, by linear interpolation between the closest ranks.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percent"/>th percentile of <paramref name="values"/>; null for an empty sample.</summary>
    public static double? Of(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
