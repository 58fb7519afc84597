using FlowDashboard.Client;

namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>
/// The timeline's time axis: the window on screen (zoomable from a run's days down to milliseconds), where
/// a time falls in it with long idle gaps folded (<see cref="FoldedAxis"/>), and its ticks. Kept apart from the
/// markup so it can be reasoned about and tested.
/// </summary>
internal sealed class TimelineScale
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(10);

    private List<(DateTimeOffset From, DateTimeOffset To)> activity = [];
    private FoldedAxis? axis;

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

    /// <summary>The window as drawn: where each time falls, with the long idle gaps inside it folded.</summary>
    public FoldedAxis Axis => axis is { } drawn && drawn.Start == Start && drawn.End == End ? drawn : (axis = new FoldedAxis(Start, End, activity));

    /// <summary>Sets when something was at work (see <see cref="ActivityOf"/>): the gaps between are the ones that may fold.</summary>
    public void SetActivity(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> stretches)
    {
        activity = [.. stretches];
        axis = null;
    }

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

    /// <summary>
    /// Zooms about the time drawn at the middle of the lane (with folds, not the middle of the window's time); when that
    /// falls in a fold, about the fold's nearer edge, so that zooming in brings work closer rather than idle time.
    /// </summary>
    public void Zoom(double factor)
    {
        var center = Axis.TimeAt(50);
        if (Axis.Folds.FirstOrDefault(f => f.Left <= 50 && f.Right >= 50) is { } fold)
        {
            center = 50 - fold.Left <= fold.Right - 50 ? fold.From : fold.To;
        }

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
    public double Percent(DateTimeOffset time) => Axis.Percent(time);

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

    /// <summary>Ticks at round offsets from the origin, about seven across the window, none inside a fold.</summary>
    public IEnumerable<(double Percent, string Label)> Ticks() => Axis.Ticks(Origin);

    /// <summary>
    /// The latest time anything of <paramref name="run"/> reached: its end, or now while it lives. A sleep's wake-up or a
    /// wait's deadline days ahead is not drawn to (it would crush everything before it): an open bar stops at now.
    /// </summary>
    public static DateTimeOffset EndOf(RunInfo run, DateTimeOffset now)
    {
        var end = run.CompletedAt ?? now;
        foreach (var step in run.Steps)
        {
            if (step.CompletedAt is { } done && done > end) end = done;
            foreach (var attempt in step.Attempts)
            {
                if (attempt.EndedAt is { } ended && ended > end) end = ended;
            }
        }

        return end;
    }

    /// <summary>
    /// When something of <paramref name="run"/> was at work: each attempt from when it was due to when it ended (or now).
    /// A sleep, a wait, a call in flight or a child run is not work here: the gap it spans may fold, and its bar is drawn
    /// across the fold's band.
    /// </summary>
    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> ActivityOf(RunInfo run, DateTimeOffset now) =>
        run.Steps.SelectMany(s => s.Attempts).Select(a => (From: a.ScheduledAt, To: a.EndedAt ?? now));

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
