using Bunit;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
using FlowDashboard.States;

namespace FlowDashboard.Console.Tests.Components.Pages.RunDetail;

public sealed class TimelineTests : ConsoleTestBase
{
    private static readonly DateTimeOffset Created = Now.AddHours(-1);

    // A two-minute run: "charge" fails twice (its second attempt waits 4 s for a worker) and then completes,
    // "cool-down" sleeps, "ship" runs once.
    private static readonly RunInfo Run = new(
        "run-1", "order-fulfillment", RunStatus.Completed, "api", Created, Created, Created.AddSeconds(120), null, null, null, null,
        [
            new StepInfo("charge", StepKind.Run, StepStatus.Completed, Created, Created.AddSeconds(25), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Failed, Created, Created, Created.AddSeconds(5), null, null, null),
                new AttemptInfo(2, AttemptStatus.Failed, Created.AddSeconds(10), Created.AddSeconds(14), Created.AddSeconds(16), null, null, null),
                new AttemptInfo(3, AttemptStatus.Completed, Created.AddSeconds(20), Created.AddSeconds(20), Created.AddSeconds(25), null, null, null),
            ]),
            new StepInfo("cool-down", StepKind.Sleep, StepStatus.Completed, Created.AddSeconds(25), Created.AddSeconds(110), Created.AddSeconds(110), null, null, null, []),
            new StepInfo("ship", StepKind.Run, StepStatus.Completed, Created.AddSeconds(110), Created.AddSeconds(120), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Completed, Created.AddSeconds(110), Created.AddSeconds(110), Created.AddSeconds(120), null, null, null),
            ]),
        ]);

    [Fact]
    public void Render_StepWithRetries_DrawsOneBarPerAttemptWithItsOutcome()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        var bars = cut.FindAll("[data-step=charge] .fd-attempt");
        Assert.Equal(["1", "2", "3"], bars.Select(b => b.GetAttribute("data-attempt")));
        Assert.True(bars[0].ClassList.Contains("fd-attempt-failed"));
        Assert.True(bars[1].ClassList.Contains("fd-attempt-failed"));
        Assert.True(bars[2].ClassList.Contains("fd-attempt-completed"));
        Assert.Equal(4, cut.FindAll(".fd-attempt").Count);
    }

    [Fact]
    public void Render_AttemptStartedAfterItWasDue_DrawsAWaitSegmentForThatAttemptOnly()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        var wait = Assert.Single(cut.FindAll(".fd-bar-wait"));
        Assert.Equal("2", wait.GetAttribute("data-attempt"));
        Assert.Equal("charge", wait.Closest(".fd-timeline-row")?.GetAttribute("data-step"));
    }

    [Fact]
    public void Render_SleepStep_DrawsASleepBarAndNoAttempt()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        Assert.Single(cut.FindAll("[data-step=cool-down] .fd-bar-sleep"));
        Assert.Empty(cut.FindAll("[data-step=cool-down] .fd-attempt"));
        Assert.Single(cut.FindAll(".fd-bar-sleep"));
    }

    [Fact]
    public void ClickRow_AnyStep_RaisesOnSelectWithItsName()
    {
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now).Add(t => t.OnSelect, name => selected = name));

        cut.Find("[data-step=cool-down]").Click();

        Assert.Equal("cool-down", selected);
    }

    [Fact]
    public void ZoomIn_FittedRun_HalvesTheSpanAndFitRestoresIt()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));
        Assert.Equal("showing 2 min", cut.Find(".fd-timeline-span").TextContent);

        cut.Find("[data-testid=zoom-in]").Click();
        cut.WaitForAssertion(() => Assert.Equal("showing 1 min", cut.Find(".fd-timeline-span").TextContent));

        cut.Find("[data-testid=zoom-fit]").Click();
        cut.WaitForAssertion(() => Assert.Equal("showing 2 min", cut.Find(".fd-timeline-span").TextContent));
    }
}
