using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>
/// The timeline's time axis: the window on screen (zoomable from a run's days down to milliseconds), where
/// a time falls in it, and its ticks. Kept apart from the markup so it can be reasoned about and tested.
/// </summary>
internal sealed class TimelineScale
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan[] TickSteps =
    [
        .. new[] { 1, 2, 5, 10, 20, 50, 100, 200, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 6, 12 }.Select(h => TimeSpan.FromHours(h)),
        .. new[] { 1, 2, 7, 14, 30, 90, 365 }.Select(d => TimeSpan.FromDays(d)),
    ];

    public TimelineScale(DateTimeOffset origin, DateTimeOffset end)
    {
        Origin = origin;
        FullEnd = Drawable(origin, end);
        Start = Origin;
        End = FullEnd;
    }

    /// <summary>Where the run began: ticks are labelled as offsets from it.</summary>
    public DateTimeOffset Origin { get; }

    /// <summary>The end of everything drawn.</summary>
    public DateTimeOffset FullEnd { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public TimeSpan Span => End - Start;

    public bool IsFit => Start == Origin && End == FullEnd;

    /// <summary>
    /// Follows the end of a live run: later as it goes on, or earlier when a wait it was drawn up to is
    /// answered. A fitted view stays fitted; a zoomed one keeps the operator's window where it still fits.
    /// </summary>
    public void Follow(DateTimeOffset end)
    {
        end = Drawable(Origin, end);
        if (end == FullEnd) return;
        var fitted = IsFit;
        FullEnd = end;
        if (fitted) Fit();
        else if (End > FullEnd) Show(Start, End);
    }

    public void Fit() => (Start, End) = (Origin, FullEnd);

    public void Zoom(double factor)
    {
        var center = Start + (Span / 2);
        var half = Span * factor / 2;
        if (half * 2 < Shortest) half = Shortest / 2;
        Show(center - half, center + half);
    }

    public void Pan(double fraction) => Show(Start + (Span * fraction), End + (Span * fraction));

    /// <summary>Shows <paramref name="from"/> to <paramref name="to"/> with a margin, clamped to what is drawn.</summary>
    public void Focus(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from < Shortest ? Shortest : to - from;
        Show(from - (span * 0.05), to + (span * 0.05));
    }

    /// <summary>The percentage across the window where <paramref name="time"/> falls (outside 0-100 when off screen).</summary>
    public double Percent(DateTimeOffset time) => (time - Start) / Span * 100;

    /// <summary>Where a bar from <paramref name="from"/> to <paramref name="to"/> shows, clipped to the window; null when off screen.</summary>
    public (double Left, double Width)? Bar(DateTimeOffset from, DateTimeOffset to)
    {
        var left = Percent(from);
        var right = Percent(to < from ? from : to);
        if (right < 0 || left > 100) return null;
        left = Math.Max(0, left);
        right = Math.Min(100, right);
        return (left, right - left);
    }

    /// <summary>Ticks at round offsets from the origin, about six across the window.</summary>
    public IEnumerable<(double Percent, string Label)> Ticks()
    {
        var step = TickSteps.FirstOrDefault(s => Span / s <= 7, TickSteps[^1]);
        var first = Math.Ceiling((Start - Origin) / step);
        for (var n = first; Origin + (step * n) <= End; n++)
        {
            var offset = step * n;
            yield return (Percent(Origin + offset), n == 0 ? "start" : "+" + Durations.Format(offset));
        }
    }

    /// <summary>The latest time anything of <paramref name="run"/> reaches: ends, wake-ups, due retries, or now while it lives.</summary>
    public static DateTimeOffset EndOf(RunInfo run, DateTimeOffset now)
    {
        var end = run.CompletedAt ?? now;
        foreach (var step in run.Steps)
        {
            if (step.CompletedAt is { } done && done > end) end = done;

            // A wait's deadline or a sleep's wake-up matters only while it is still ahead; a wait answered early ended then.
            if (!step.Status.IsFinal() && step.WakeAt is { } wake && wake > end) end = wake;
            if (step.NextAttemptAt is { } next && next > end) end = next;
            foreach (var attempt in step.Attempts)
            {
                if (attempt.EndedAt is { } ended && ended > end) end = ended;
            }
        }

        return end;
    }

    private static DateTimeOffset Drawable(DateTimeOffset origin, DateTimeOffset end) => end > origin + Shortest ? end : origin + TimeSpan.FromSeconds(1);

    private void Show(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        if (span >= FullEnd - Origin)
        {
            Fit();
            return;
        }

        if (from < Origin) (from, to) = (Origin, Origin + span);
        if (to > FullEnd) (from, to) = (FullEnd - span, FullEnd);
        (Start, End) = (from, to);
    }
}
