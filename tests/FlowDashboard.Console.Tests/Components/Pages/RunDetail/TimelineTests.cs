using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
using FlowDashboard.States;
using Microsoft.AspNetCore.Components.Web;

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

    // A failed run: "fetch" was interrupted once and then completed, "reserve" failed once and then completed, "charge"
    // failed for good, and the failure handler ran.
    private static readonly RunInfo FailedRun = new(
        "run-2", "order-fulfillment", RunStatus.Failed, "api", Created, Created, Created.AddSeconds(40), null, null, null, "card declined",
        [
            new StepInfo("fetch", StepKind.Run, StepStatus.Completed, Created, Created.AddSeconds(10), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Interrupted, Created, Created, Created.AddSeconds(2), null, null, null),
                new AttemptInfo(2, AttemptStatus.Completed, Created.AddSeconds(8), Created.AddSeconds(8), Created.AddSeconds(10), null, null, null),
            ]),
            new StepInfo("reserve", StepKind.Run, StepStatus.Completed, Created.AddSeconds(10), Created.AddSeconds(20), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Failed, Created.AddSeconds(10), Created.AddSeconds(10), Created.AddSeconds(12), null, null, null),
                new AttemptInfo(2, AttemptStatus.Completed, Created.AddSeconds(18), Created.AddSeconds(18), Created.AddSeconds(20), null, null, null),
            ]),
            new StepInfo("charge", StepKind.Run, StepStatus.Failed, Created.AddSeconds(20), Created.AddSeconds(38), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Failed, Created.AddSeconds(20), Created.AddSeconds(20), Created.AddSeconds(22), null, null, null),
                new AttemptInfo(2, AttemptStatus.Failed, Created.AddSeconds(36), Created.AddSeconds(36), Created.AddSeconds(38), null, null, null),
            ]),
            new StepInfo("on-failure", StepKind.FailureHandler, StepStatus.Completed, Created.AddSeconds(38), Created.AddSeconds(40), null, null, null, null,
            [
                new AttemptInfo(1, AttemptStatus.Completed, Created.AddSeconds(38), Created.AddSeconds(38), Created.AddSeconds(40), null, null, null),
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

    [Fact]
    public void Render_Rows_AreFocusableButtonsNamedForTheirStep()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        var rows = cut.FindAll(".fd-timeline-row");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("0", row.GetAttribute("tabindex"));
            Assert.Equal("button", row.GetAttribute("role"));
            Assert.StartsWith(row.GetAttribute("data-step") + ":", row.GetAttribute("aria-label"), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("Enter")]
    [InlineData(" ")]
    public void KeyDown_EnterOrSpaceOnARow_RaisesOnSelectWithItsName(string key)
    {
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now).Add(t => t.OnSelect, name => selected = name));

        cut.Find("[data-step=ship]").KeyDown(new KeyboardEventArgs { Key = key });

        Assert.Equal("ship", selected);
    }

    [Fact]
    public void KeyDown_TabOnARow_SelectsNothing()
    {
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now).Add(t => t.OnSelect, name => selected = name));

        cut.Find("[data-step=ship]").KeyDown(new KeyboardEventArgs { Key = "Tab" });

        Assert.Null(selected);
    }

    [Fact]
    public void Render_Steps_ShowTheirDurationAndAttemptsInColumns()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        Assert.Equal("25 s", Cell(cut, "charge", "duration"));
        Assert.Equal("×3", Cell(cut, "charge", "tries"));
        Assert.Equal("1 min 25 s", Cell(cut, "cool-down", "duration"));
        Assert.Empty(Cell(cut, "cool-down", "tries"));
        Assert.Equal("10 s", Cell(cut, "ship", "duration"));
        Assert.Equal("×1", Cell(cut, "ship", "tries"));
    }

    // The field waits for a pause in typing (DebounceInterval 200 ms, timed by the registered TimeProvider).
    [Fact]
    public void TypeSearch_PartOfAStepsName_ShowsOnlyTheRowsThatMatch()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        cut.Find("input[data-testid=timeline-search]").Input("SHI");
        Time.Advance(TimeSpan.FromMilliseconds(200));

        cut.WaitForAssertion(() => Assert.Equal(["ship"], Steps(cut)));
        Assert.Equal("1 of 3 steps", cut.Find("[data-testid=timeline-count]").TextContent);
    }

    [Fact]
    public void Filter_FailedThenRetried_ShowsTheStepsThatFailedThenThoseThatTookMoreThanOneAttempt()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, FailedRun).Add(t => t.Now, Now));
        Assert.Equal(["fetch", "reserve", "charge", "on-failure"], Steps(cut));

        cut.Find("[data-testid=filter-failed]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["reserve", "charge"], Steps(cut)));

        cut.Find("[data-testid=filter-retried]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["fetch", "reserve", "charge"], Steps(cut)));

        cut.Find("[data-testid=filter-all]").Click();
        cut.WaitForAssertion(() => Assert.Equal(4, Steps(cut).Count));
    }

    [Fact]
    public void FirstFailure_Click_SelectsTheStepThatFailedForGood()
    {
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, FailedRun).Add(t => t.Now, Now).Add(t => t.OnSelect, name => selected = name));

        cut.Find("[data-testid=first-failure]").Click();

        Assert.Equal("charge", selected);
    }

    [Fact]
    public void FirstFailure_RunWithoutAFailedStep_IsNotShown()
    {
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now));

        Assert.Empty(cut.FindAll("[data-testid=first-failure]"));
    }

    [Fact]
    public void FirstFailure_FailureAlreadySelected_ScrollsToItWithoutClosingIt()
    {
        var scroll = Context.JSInterop.SetupVoid("flowDashboard.scrollRowIntoView", _ => true);
        scroll.SetVoidResult();
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, FailedRun).Add(t => t.Now, Now).Add(t => t.SelectedStep, "charge")
            .Add(t => t.OnSelect, name => selected = name));
        cut.WaitForAssertion(() => Assert.Single(scroll.Invocations));

        cut.Find("[data-testid=first-failure]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, scroll.Invocations.Count));
        Assert.Null(selected);
    }

    [Fact]
    public void Render_SelectedStepFarDown_IsHighlightedAndScrolledIntoView()
    {
        var scroll = Context.JSInterop.SetupVoid("flowDashboard.scrollRowIntoView", _ => true);
        scroll.SetVoidResult();

        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, ManySteps(40)).Add(t => t.Now, Now).Add(t => t.SelectedStep, "step-25"));

        cut.WaitForAssertion(() => Assert.Single(scroll.Invocations));
        var arguments = Assert.Single(scroll.Invocations).Arguments;
        Assert.Equal((25, 30), ((int)arguments[1]!, (int)arguments[2]!));
        var row = cut.Find("[data-step=step-25]");
        Assert.Contains("fd-row-selected", row.ClassList);
        Assert.Equal("true", row.GetAttribute("aria-current"));
    }

    [Fact]
    public void ListView_Chosen_ShowsOneTableRowPerStepThatOpensItsStep()
    {
        string? selected = null;
        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, Run).Add(t => t.Now, Now).Add(t => t.OnSelect, name => selected = name));

        cut.Find("[data-testid=view-list]").Click();

        var rows = cut.FindAll("[data-testid=timeline-list] tbody tr");
        Assert.Equal(["charge", "cool-down", "ship"], rows.Select(r => r.GetAttribute("data-list-step")));
        Assert.Equal(["25 s", "1 min 25 s", "10 s"], rows.Select(r => r.QuerySelector(".fd-timeline-took")!.TextContent.Trim()));
        Assert.Empty(cut.FindAll(".fd-timeline-row"));

        rows[2].Click();
        Assert.Equal("ship", selected);
    }

    [Fact]
    public void Render_TenMinuteIdleGap_DrawsAFoldLabelledWithItAndKeepsTheBarsWide()
    {
        // A retry ten minutes later: on a linear axis both steps would be 0.17% wide.
        var run = new RunInfo("run-3", "retrying", RunStatus.Completed, "api", Created, Created, Created.AddSeconds(602), null, null, null, null,
        [
            new StepInfo("first", StepKind.Run, StepStatus.Completed, Created, Created.AddSeconds(1), null, null, null, null,
                [new AttemptInfo(1, AttemptStatus.Completed, Created, Created, Created.AddSeconds(1), null, null, null)]),
            new StepInfo("second", StepKind.Run, StepStatus.Completed, Created.AddSeconds(601), Created.AddSeconds(602), null, null, null, null,
                [new AttemptInfo(1, AttemptStatus.Completed, Created.AddSeconds(601), Created.AddSeconds(601), Created.AddSeconds(602), null, null, null)]),
        ]);

        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, run).Add(t => t.Now, Now));

        Assert.Equal("10 min idle", Assert.Single(cut.FindAll("[data-testid=timeline-fold]")).TextContent.Trim());
        Assert.All(cut.FindAll(".fd-attempt"), bar => Assert.True(Style(bar, "width") >= 20, $"a bar is {Style(bar, "width")}% wide"));
    }

    [Fact]
    public void Render_WaitOpenOnADayLongTimeout_DrawsItToNowAndSaysWhenItTimesOut()
    {
        var started = Now.AddMinutes(-5);
        var run = new RunInfo("run-4", "approval", RunStatus.Waiting, "api", started, started, null, Now.AddDays(1), null, null, null,
        [
            new StepInfo("prepare", StepKind.Run, StepStatus.Completed, started, started.AddSeconds(2), null, null, null, null,
                [new AttemptInfo(1, AttemptStatus.Completed, started, started, started.AddSeconds(2), null, null, null)]),
            new StepInfo("wait-for-approval", StepKind.WaitForEvent, StepStatus.Waiting, started.AddSeconds(2), null, Now.AddDays(1), null, null, null, [])
            {
                Target = "approval-1",
            },
        ]);

        var cut = Context.Render<Timeline>(p => p.Add(t => t.Run, run).Add(t => t.Now, Now));

        var wait = cut.Find("[data-step=wait-for-approval] .fd-bar-external");
        Assert.Contains("fd-bar-open", wait.ClassList);
        Assert.Equal(100, Style(wait, "left") + Style(wait, "width"), 3);
        Assert.StartsWith("times out", cut.Find("[data-step=wait-for-approval] .fd-timeline-until").TextContent.Trim(), StringComparison.Ordinal);
        Assert.True(Style(cut.Find("[data-step=prepare] .fd-attempt"), "width") >= 20, "the step before the wait is crushed");
    }

    private static RunInfo ManySteps(int count) => new(
        "run-5", "batch", RunStatus.Completed, "api", Created, Created, Created.AddSeconds(count), null, null, null, null,
        [
            .. Enumerable.Range(0, count).Select(i => new StepInfo(
                $"step-{i:00}", StepKind.Run, StepStatus.Completed, Created.AddSeconds(i), Created.AddSeconds(i + 1), null, null, null, null,
                [new AttemptInfo(1, AttemptStatus.Completed, Created.AddSeconds(i), Created.AddSeconds(i), Created.AddSeconds(i + 1), null, null, null)])
            {
                Sequence = i,
            }),
        ]);

    private static List<string?> Steps(IRenderedComponent<Timeline> cut) =>
        [.. cut.FindAll(".fd-timeline-row").Select(r => r.GetAttribute("data-step"))];

    private static string Cell(IRenderedComponent<Timeline> cut, string step, string column) =>
        cut.Find($"[data-step={step}] .fd-timeline-{column}").TextContent.Trim();

    // A percentage out of an inline style such as "left:48%;width:4%".
    private static double Style(IElement element, string property)
    {
        var value = element.GetAttribute("style")!.Split(';').Select(p => p.Split(':')).Single(p => p[0].Trim() == property)[1];
        return double.Parse(value.Trim().TrimEnd('%'), CultureInfo.InvariantCulture);
    }
}
