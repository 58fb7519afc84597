using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
using FlowDashboard.States;

namespace FlowDashboard.Console.Tests.Components.Pages.RunDetail;

public sealed class TimelineScaleTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Bar_OutsideTheZoomedWindow_ReturnsNull()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(100));
        scale.Zoom(0.5);

        Assert.Equal((Origin.AddSeconds(25), Origin.AddSeconds(75)), (scale.Start, scale.End));
        Assert.Null(scale.Bar(Origin, Origin.AddSeconds(10)));
        Assert.Null(scale.Bar(Origin.AddSeconds(80), Origin.AddSeconds(90)));
    }

    [Fact]
    public void Bar_CrossingTheWindowsEdges_IsClippedToIt()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(100));
        scale.Zoom(0.5);

        var (left, width) = scale.Bar(Origin.AddSeconds(20), Origin.AddSeconds(30))!.Value;
        Assert.Equal(0, left, 6);
        Assert.Equal(10, width, 6);

        (left, width) = scale.Bar(Origin, Origin.AddSeconds(100))!.Value;
        Assert.Equal(0, left, 6);
        Assert.Equal(100, width, 6);
    }

    [Fact]
    public void Ticks_ThreeDayRun_AreRoundOffsetsFromTheStart()
    {
        var scale = new TimelineScale(Origin, Origin.AddDays(3));

        var ticks = scale.Ticks().ToList();

        Assert.Equal(["start", "+12 h", "+1 d", "+1 d 12 h", "+2 d", "+2 d 12 h", "+3 d"], ticks.Select(t => t.Label));
        Assert.Equal([0, 16.667, 33.333, 50, 66.667, 83.333, 100], ticks.Select(t => Math.Round(t.Percent, 3)));
    }

    [Fact]
    public void Ticks_ZoomedIntoThreeDayRun_StayRoundOffsetsFromTheRunsStartNotTheWindows()
    {
        var scale = new TimelineScale(Origin, Origin.AddDays(3));
        scale.Zoom(0.5);

        var ticks = scale.Ticks().ToList();

        Assert.Equal(Origin.AddHours(18), scale.Start);
        Assert.Equal(["+18 h", "+1 d", "+1 d 6 h", "+1 d 12 h", "+1 d 18 h", "+2 d", "+2 d 6 h"], ticks.Select(t => t.Label));
        Assert.All(ticks, t => Assert.InRange(t.Percent, 0, 100));
    }

    [Fact]
    public void Zoom_InManyTimes_NeverShowsLessThanTenMilliseconds()
    {
        var scale = new TimelineScale(Origin, Origin.AddHours(1));

        for (var i = 0; i < 40; i++)
        {
            scale.Zoom(0.5);
            Assert.True(scale.Span >= TimeSpan.FromMilliseconds(10), $"After {i + 1} zooms the span is {scale.Span}.");
        }

        Assert.Equal(TimeSpan.FromMilliseconds(10), scale.Span);
        Assert.InRange(scale.Start, Origin, Origin.AddHours(1));
    }

    [Fact]
    public void Follow_FittedView_StaysFittedToTheNewEnd()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(60));

        scale.Follow(Origin.AddSeconds(120));

        Assert.True(scale.IsFit);
        Assert.Equal(Origin.AddSeconds(120), scale.End);
        Assert.Equal(TimeSpan.FromSeconds(120), scale.Span);
    }

    [Fact]
    public void Follow_ZoomedView_KeepsTheOperatorsWindow()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(60));
        scale.Zoom(0.5);
        var (start, end) = (scale.Start, scale.End);

        scale.Follow(Origin.AddSeconds(120));

        Assert.False(scale.IsFit);
        Assert.Equal((start, end), (scale.Start, scale.End));
        Assert.Equal(Origin.AddSeconds(120), scale.FullEnd);
    }

    [Fact]
    public void Follow_EarlierEnd_FittedViewShrinksToIt()
    {
        // Drawn up to a wait's one-day deadline, then the event came after 13 seconds.
        var scale = new TimelineScale(Origin, Origin.AddDays(1));

        scale.Follow(Origin.AddSeconds(13));

        Assert.True(scale.IsFit);
        Assert.Equal(Origin.AddSeconds(13), scale.FullEnd);
        Assert.Equal(TimeSpan.FromSeconds(13), scale.Span);
    }

    [Fact]
    public void Follow_EarlierEndBeforeTheZoomedWindow_MovesTheWindowInside()
    {
        var scale = new TimelineScale(Origin, Origin.AddDays(1));
        scale.Zoom(0.1);
        scale.Pan(5);

        scale.Follow(Origin.AddHours(1));

        Assert.True(scale.End <= Origin.AddHours(1), $"window ends at {scale.End:O}");
        Assert.True(scale.Start >= Origin, $"window starts at {scale.Start:O}");
    }

    [Fact]
    public void Bar_TenMinuteGapBetweenTwoOneSecondSteps_LeavesEachBarAFifthOfTheLaneAtLeast()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(602));
        scale.SetActivity([(Origin, Origin.AddSeconds(1)), (Origin.AddSeconds(601), Origin.AddSeconds(602))]);

        var first = scale.Bar(Origin, Origin.AddSeconds(1))!.Value;
        var second = scale.Bar(Origin.AddSeconds(601), Origin.AddSeconds(602))!.Value;

        // On a linear axis each would be 1/602 of the lane: 0.17%.
        Assert.True(first.Width >= 20, $"the first bar is {first.Width:0.##}% wide");
        Assert.True(second.Width >= 20, $"the second bar is {second.Width:0.##}% wide");
        Assert.True(second.Left >= first.Left + first.Width, "the second bar starts before the first one ends");
    }

    [Fact]
    public void Folds_TenMinuteGap_IsOneNarrowFoldLabelledWithItsLength()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(602));
        scale.SetActivity([(Origin, Origin.AddSeconds(1)), (Origin.AddSeconds(601), Origin.AddSeconds(602))]);

        var fold = Assert.Single(scale.Axis.Folds);

        Assert.Equal((Origin.AddSeconds(1), Origin.AddSeconds(601)), (fold.From, fold.To));
        Assert.Equal("10 min idle", fold.Label);
        Assert.Equal(FoldedAxis.FoldWidth, fold.Width, 6);
    }

    [Fact]
    public void Percent_FoldedAxis_IsMonotonicFromZeroToHundredAndTimeAtInvertsIt()
    {
        // Work at the start and after a delayed retry; then an instant (a wait began) and hours of nothing.
        var end = Origin.AddHours(5);
        var scale = new TimelineScale(Origin, end);
        scale.SetActivity(
        [
            (Origin, Origin.AddSeconds(3)),
            (Origin.AddSeconds(4), Origin.AddSeconds(5)),
            (Origin.AddMinutes(10), Origin.AddMinutes(10).AddSeconds(2)),
            (Origin.AddMinutes(30), Origin.AddMinutes(30)),
        ]);
        Assert.Contains(scale.Axis.Folds, f => f.To == end);

        var previous = double.NegativeInfinity;
        for (var t = Origin; t <= end; t = t.AddSeconds(7))
        {
            var percent = scale.Percent(t);
            Assert.True(percent >= previous, $"{t:O} is drawn at {percent}%, left of an earlier time at {previous}%");
            Assert.InRange((scale.Axis.TimeAt(percent) - t).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            previous = percent;
        }

        Assert.Equal(0, scale.Percent(Origin), 6);
        Assert.Equal(100, scale.Percent(end), 6);
    }

    [Fact]
    public void Folds_ShortGapsBetweenManyShortSteps_AreNotFolded()
    {
        // A hundred 50 ms steps, each dispatched 5 ms after the one before ended.
        var steps = Enumerable.Range(0, 100).Select(i => (From: Origin.AddMilliseconds(i * 55), To: Origin.AddMilliseconds((i * 55) + 50))).ToList();
        var scale = new TimelineScale(Origin, steps[^1].To);
        scale.SetActivity(steps);

        Assert.Empty(scale.Axis.Folds);
        Assert.Equal(50, scale.Percent(Origin.AddMilliseconds(55 * 50)), 0);
    }

    [Fact]
    public void Ticks_FoldedAxis_NoneInsideAFoldAndNoLabelTwice()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(602));
        scale.SetActivity([(Origin, Origin.AddSeconds(1)), (Origin.AddSeconds(601), Origin.AddSeconds(602))]);
        var fold = Assert.Single(scale.Axis.Folds);

        var ticks = scale.Ticks().ToList();

        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.False(t.Percent > fold.Left && t.Percent < fold.Right, $"a tick at {t.Percent}% is inside the fold"));
        Assert.Equal(ticks.Count, ticks.Select(t => t.Label).Distinct().Count());
        Assert.Equal("start", ticks[0].Label);
        Assert.Contains(ticks, t => t.Label.StartsWith("+10 min", StringComparison.Ordinal));
    }

    [Fact]
    public void Zoom_MiddleOfTheLaneInAFold_ZoomsAboutTheFoldsEdgeAndWidensTheWork()
    {
        var scale = new TimelineScale(Origin, Origin.AddSeconds(602));
        scale.SetActivity([(Origin, Origin.AddSeconds(1)), (Origin.AddSeconds(601), Origin.AddSeconds(602))]);
        var before = scale.Bar(Origin, Origin.AddSeconds(1))!.Value.Width;

        scale.Zoom(0.5);

        Assert.Equal(TimeSpan.FromSeconds(301), scale.Span);
        Assert.True(scale.Bar(Origin, Origin.AddSeconds(1))!.Value.Width > before, "zooming in did not widen the first step");
    }

    [Fact]
    public void EndOf_LiveRunWaitingOnADayLongTimeout_EndsAtNowNotAtTheTimeout()
    {
        var now = Origin.AddMinutes(5);
        var run = new RunInfo("run-1", "approval", RunStatus.Waiting, "api", Origin, Origin, null, Origin.AddDays(1), null, null, null,
        [
            new StepInfo("prepare", StepKind.Run, StepStatus.Completed, Origin, Origin.AddSeconds(2), null, null, null, null,
                [new AttemptInfo(1, AttemptStatus.Completed, Origin, Origin, Origin.AddSeconds(2), null, null, null)]),
            new StepInfo("wait-for-approval", StepKind.WaitForEvent, StepStatus.Waiting, Origin.AddSeconds(2), null, Origin.AddDays(1), null, null, null, []),
        ]);

        Assert.Equal(now, TimelineScale.EndOf(run, now));
    }

    [Fact]
    public void EndOf_LiveRunSleepingForThreeDays_EndsAtNow()
    {
        var now = Origin.AddHours(1);
        var run = new RunInfo("run-1", "onboarding", RunStatus.Sleeping, "api", Origin, Origin, null, Origin.AddDays(3), null, null, null,
        [
            new StepInfo("sleep-until-follow-up", StepKind.Sleep, StepStatus.Sleeping, Origin, null, Origin.AddDays(3), null, null, null, []),
        ]);

        Assert.Equal(now, TimelineScale.EndOf(run, now));
    }
}
