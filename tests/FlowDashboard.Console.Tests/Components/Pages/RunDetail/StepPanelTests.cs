using Bunit;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
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
