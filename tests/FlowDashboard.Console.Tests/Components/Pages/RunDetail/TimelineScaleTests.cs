using FlowDashboard.Console.Components.Pages.RunDetail;

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
}
