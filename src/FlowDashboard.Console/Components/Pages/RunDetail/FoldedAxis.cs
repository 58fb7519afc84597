namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>
/// Where a time falls across a window of the timeline, with long idle gaps folded into narrow bands. On a linear
/// axis a retry ten minutes later or a day-long wait crushes every bar of work to a sliver; folded, the work keeps
/// the lane and each gap shows as a band labelled with its length. The mapping stays monotonic and continuous, so a
/// bar that spans a fold (a sleep, a wait) is drawn across its band.
/// </summary>
/// <remarks>
/// A gap (a stretch in which no attempt waits for a worker or runs) is folded when it is longer than both 5% of the
/// window and three times the median attempt: the first keeps the small dispatch gaps between many short steps
/// unfolded, the second keeps gaps of the same order as the work itself. At most the eight longest gaps fold, each to
/// 4% of the lane (less when there are many, so that folds never take more than a third of it).
/// </remarks>
internal sealed class FoldedAxis
{
    /// <summary>The share of the lane, in percent, that one fold takes.</summary>
    public const double FoldWidth = 4;

    private const double FoldShareOfWindow = 0.05;
    private const double FoldTimesMedian = 3;
    private const int MostFolds = 8;
    private const double MostFoldedWidth = 32;

    // About seven ticks across the lane; none closer than this (percent) to the one before or to a fold's label.
    private const double TicksAcross = 7;
    private const double TickGap = 6;
    private const double FoldLabelClearance = 7;

    private static readonly TimeSpan[] TickSteps =
    [
        .. new[] { 1, 2, 5, 10, 20, 50, 100, 200, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 6, 12 }.Select(h => TimeSpan.FromHours(h)),
        .. new[] { 1, 2, 7, 14, 30, 90, 365 }.Select(d => TimeSpan.FromDays(d)),
    ];

    /// <summary>An axis from <paramref name="start"/> to <paramref name="end"/> that folds the long gaps between <paramref name="activity"/>.</summary>
    /// <param name="start">The time at the lane's left edge.</param>
    /// <param name="end">The time at its right edge.</param>
    /// <param name="activity">When something was at work; a zero-length stretch marks an instant a gap must not hide.</param>
    public FoldedAxis(DateTimeOffset start, DateTimeOffset end, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> activity)
    {
        Start = start;
        End = end;
        Segments = Build(start, end, activity);
    }

    /// <summary>The time at the lane's left edge.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The time at the lane's right edge.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The pieces of the axis from left to right, folds included; together they cover the lane.</summary>
    public AxisSegment[] Segments { get; }

    /// <summary>The folded gaps, from left to right.</summary>
    public IEnumerable<AxisSegment> Folds => Segments.Where(s => s.IsFold);

    /// <summary>The percentage across the lane where <paramref name="time"/> falls (outside 0-100 when off the window).</summary>
    public double Percent(DateTimeOffset time)
    {
        var span = End - Start;
        if (span <= TimeSpan.Zero) return 0;
        if (time <= Start) return (time - Start) / span * 100;
        if (time >= End) return 100 + ((time - End) / span * 100);
        foreach (var segment in Segments)
        {
            if (time <= segment.To) return segment.PercentAt(time);
        }

        return 100;
    }

    /// <summary>The time at <paramref name="percent"/> across the lane: the inverse of <see cref="Percent"/>.</summary>
    public DateTimeOffset TimeAt(double percent)
    {
        var span = End - Start;
        if (percent <= 0) return Start + (span * (percent / 100));
        if (percent >= 100) return End + (span * ((percent - 100) / 100));
        foreach (var segment in Segments)
        {
            if (percent <= segment.Right) return segment.TimeAt(percent);
        }

        return End;
    }

    /// <summary>
    /// Ticks at round offsets from <paramref name="origin"/>, chosen per unfolded segment (about seven across the whole
    /// lane, fewer in a narrow segment); none falls inside a fold or on its label.
    /// </summary>
    public IEnumerable<(double Percent, string Label)> Ticks(DateTimeOffset origin)
    {
        var folds = Folds.Select(f => f.Left + (f.Width / 2)).ToArray();
        var last = double.NegativeInfinity;
        var lastLabel = "";
        foreach (var segment in Segments.Where(s => !s.IsFold && s.Width > 0))
        {
            var room = TicksAcross * segment.Width / 100;
            var step = TickSteps.FirstOrDefault(s => segment.Length / s <= room, TickSteps[^1]);
            for (var n = Math.Ceiling((segment.From - origin) / step); origin + (step * n) <= segment.To; n++)
            {
                var offset = step * n;
                var percent = segment.PercentAt(origin + offset);
                var label = n == 0 ? "start" : "+" + Durations.Format(offset);
                if (percent - last < TickGap || label == lastLabel || folds.Any(f => Math.Abs(percent - f) < FoldLabelClearance)) continue;
                (last, lastLabel) = (percent, label);
                yield return (percent, label);
            }
        }
    }

    private static AxisSegment[] Build(DateTimeOffset start, DateTimeOffset end, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> activity)
    {
        var span = end - start;
        AxisSegment[] linear = [new(start, end, 0, 100, false)];
        if (span <= TimeSpan.Zero) return linear;

        var bars = activity
            .Select(a => (From: a.From, To: a.To < a.From ? a.From : a.To))
            .Where(a => a.To >= start && a.From <= end)
            .Select(a => (From: a.From < start ? start : a.From, To: a.To > end ? end : a.To))
            .OrderBy(a => a.From)
            .ToList();
        if (bars.Count == 0) return linear;

        var lengths = bars.Select(b => b.To - b.From).Where(l => l > TimeSpan.Zero).Order().ToList();
        var median = lengths.Count == 0 ? TimeSpan.Zero : lengths[lengths.Count / 2];
        var least = span * FoldShareOfWindow > median * FoldTimesMedian ? span * FoldShareOfWindow : median * FoldTimesMedian;
        var folds = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var gap in Gaps(start, end, bars).Where(g => g.To - g.From > least).OrderByDescending(g => g.To - g.From).Take(MostFolds).OrderBy(g => g.From))
        {
            // Gaps split only by an instant fold as one: two bands side by side would write their labels over each other.
            if (folds.Count > 0 && folds[^1].To == gap.From) folds[^1] = (folds[^1].From, gap.To);
            else folds.Add(gap);
        }

        var unfolded = span - folds.Aggregate(TimeSpan.Zero, (sum, f) => sum + (f.To - f.From));
        if (folds.Count == 0 || unfolded <= TimeSpan.Zero) return linear;

        var foldWidth = Math.Min(FoldWidth, MostFoldedWidth / folds.Count);
        var unfoldedWidth = 100 - (foldWidth * folds.Count);
        var result = new List<AxisSegment>();
        var (at, left) = (start, 0.0);
        foreach (var (from, to) in folds)
        {
            if (from > at)
            {
                var width = unfoldedWidth * ((from - at) / unfolded);
                result.Add(new(at, from, left, left + width, false));
                left += width;
            }

            result.Add(new(from, to, left, left + foldWidth, true));
            (at, left) = (to, left + foldWidth);
        }

        if (end > at) result.Add(new(at, end, left, 100, false));

        // The widths add up to 100 but for rounding: the last segment ends exactly at the lane's edge.
        result[^1] = result[^1] with { Right = 100 };
        return [.. result];
    }

    private static List<(DateTimeOffset From, DateTimeOffset To)> Gaps(DateTimeOffset start, DateTimeOffset end, List<(DateTimeOffset From, DateTimeOffset To)> bars)
    {
        var gaps = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var reached = start;
        foreach (var (from, to) in bars)
        {
            if (from > reached) gaps.Add((reached, from));
            if (to > reached) reached = to;
        }

        if (end > reached) gaps.Add((reached, end));
        return gaps;
    }
}
