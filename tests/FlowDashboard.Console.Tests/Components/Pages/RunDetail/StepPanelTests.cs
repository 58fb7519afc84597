using Bunit;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
using FlowDashboard.Exceptions;
using FlowDashboard.States;

namespace FlowDashboard.Console.Tests.Components.Pages.RunDetail;

public sealed class StepPanelTests : ConsoleTestBase
{
    private const string RunId = "run-1";

    [Fact]
    public void Render_FailedStepOfFailedRunForOperator_OffersRetry()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Failed, canOperate: true);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=retry-step]")));
    }

    [Fact]
    public void Render_UserWhoCannotOperate_OffersNoRetry()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Failed, canOperate: false);

        AssertLoadedWithoutRetry(cut);
    }

    [Fact]
    public void Render_CompletedStep_OffersNoRetry()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Completed, RunStatus.Failed, canOperate: true);

        AssertLoadedWithoutRetry(cut);
    }

    [Fact]
    public void Render_FailedFailureHandler_OffersNoRetry()
    {
        var cut = RenderStep(StepKind.FailureHandler, StepStatus.Failed, RunStatus.Failed, canOperate: true);

        AssertLoadedWithoutRetry(cut);
    }

    [Fact]
    public void Render_FailedStepOfRunningRun_OffersNoRetry()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Running, canOperate: true);

        AssertLoadedWithoutRetry(cut);
    }

    [Fact]
    public void ClickRetry_FailedStep_RaisesOnRetryWithTheStepsName()
    {
        string? retried = null;
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Failed, canOperate: true, onRetry: name => retried = name);

        cut.WaitForElement("[data-testid=retry-step]").Click();

        Assert.Equal("charge", retried);
    }

    [Fact]
    public void Render_FailedStepOfFailedRunForOperator_ExplainsRetryStepBesideResumeInWords()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Failed, canOperate: true);

        var note = cut.WaitForElement("[data-testid=retry-explained]").TextContent;
        Assert.Contains("runs only charge again, with a fresh retry budget", note, StringComparison.Ordinal);
        Assert.Contains("Resume run", note, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=retry-non-retryable]"));
    }

    [Fact]
    public void Render_UserWhoCannotOperate_ExplainsNoRetry()
    {
        var cut = RenderStep(StepKind.Run, StepStatus.Failed, RunStatus.Failed, canOperate: false);

        AssertLoadedWithoutRetry(cut);
        Assert.Empty(cut.FindAll("[data-testid=retry-explained]"));
    }

    [Fact]
    public void Render_StepWhoseLatestAttemptThrewNonRetryable_SaysARetryFailsTheSameWayUnlessSomethingChanged()
    {
        var cut = RenderFailedTwice();

        cut.WaitForAssertion(() => Assert.Contains("NonRetryableException", cut.Find("[data-testid=retry-non-retryable]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_StepWithFailedAttempts_ShowsEachErrorInFullBelowTheTableNewestFirstAndOnlyTheLatestOpen()
    {
        var cut = RenderFailedTwice();

        var panels = cut.WaitForElements("[data-testid=error-panel]", 2);
        Assert.Contains("Attempt 2", panels[0].QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.True(panels[0].HasAttribute("open"));
        Assert.Contains("Attempt 1", panels[1].QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.False(panels[1].HasAttribute("open"));
        Assert.Equal("gateway timed out\nafter 30 s", panels[1].QuerySelector("[data-testid=error-message]")!.TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=copy-error]").Count);
    }

    [Fact]
    public void Render_StepWithFailedAttempts_HighlightsTheWorkflowsOwnFrameOfEachStackTrace()
    {
        var cut = RenderFailedTwice();

        var panels = cut.WaitForElements("[data-testid=error-panel]", 2);
        var own = Assert.Single(panels[0].QuerySelectorAll(".fd-frame-own"));
        Assert.Equal("at Shop.Payments.Gateway.Charge(Card card) in /src/Shop/Payments/Gateway.cs:line 20", own.TextContent);
        Assert.Equal("at FlowDashboard.Engine.WorkflowExecution.InvokeAsync[T](Func`2 action)", Assert.Single(panels[0].QuerySelectorAll(".fd-frame-engine")).TextContent);
    }

    [Fact]
    public void Render_StepWithFailedAttempts_KeepsOnlyEachErrorsFirstLineInTheAttemptsTable()
    {
        var cut = RenderFailedTwice();

        cut.WaitForAssertion(() => Assert.Equal(
            ["gateway timed out", "card declined"],
            cut.FindAll("[data-testid=attempts] .fd-attempt-error").Select(c => c.TextContent.Trim())));
    }

    // Attempt 1 timed out (a frame of the workflow's own code, one of .NET's); attempt 2 threw NonRetryableException.
    private IRenderedComponent<StepPanel> RenderFailedTwice()
    {
        var started = Now.AddMinutes(-5);
        Queries.Steps[(RunId, "charge")] = new StepInfo("charge", StepKind.Run, StepStatus.Failed, started, started.AddSeconds(12), null, null, null, "card declined",
        [
            new AttemptInfo(1, AttemptStatus.Failed, started, started, started.AddSeconds(1), "gateway timed out\nafter 30 s", typeof(TimeoutException).FullName,
                "   at Shop.Payments.Gateway.Charge(Card card) in /src/Shop/Payments/Gateway.cs:line 12\n   at System.Threading.Tasks.Task.Wait()"),
            new AttemptInfo(2, AttemptStatus.Failed, started.AddSeconds(10), started.AddSeconds(10), started.AddSeconds(12), "card declined", typeof(NonRetryableException).FullName,
                "   at Shop.Payments.Gateway.Charge(Card card) in /src/Shop/Payments/Gateway.cs:line 20\n   at FlowDashboard.Engine.WorkflowExecution.InvokeAsync[T](Func`2 action)"),
        ]);
        return Context.Render<StepPanel>(p => p
            .Add(s => s.RunId, RunId)
            .Add(s => s.StepName, "charge")
            .Add(s => s.RunStatus, RunStatus.Failed)
            .Add(s => s.CanOperate, true));
    }

    private IRenderedComponent<StepPanel> RenderStep(StepKind kind, StepStatus status, RunStatus runStatus, bool canOperate, Action<string>? onRetry = null)
    {
        var started = Now.AddMinutes(-5);
        Queries.Steps[(RunId, "charge")] = new StepInfo("charge", kind, status, started, started.AddSeconds(3), null, null, null,
            status == StepStatus.Failed ? "card declined" : null,
            [new AttemptInfo(1, status == StepStatus.Failed ? AttemptStatus.Failed : AttemptStatus.Completed, started, started, started.AddSeconds(3), null, null, null)]);
        return Context.Render<StepPanel>(p => p
            .Add(s => s.RunId, RunId)
            .Add(s => s.StepName, "charge")
            .Add(s => s.RunStatus, runStatus)
            .Add(s => s.CanOperate, canOperate)
            .Add(s => s.OnRetry, onRetry ?? (_ => { })));
    }

    // The panel has drawn the step (its attempts table), so the button's absence is not a render not yet done.
    private static void AssertLoadedWithoutRetry(IRenderedComponent<StepPanel> cut) =>
        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindAll("[data-testid=attempts]"));
            Assert.Empty(cut.FindAll("[data-testid=retry-step]"));
        });
}
