using Bunit;
using Bunit.Rendering;
using FlowDashboard.Client;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RunDetailPage = FlowDashboard.Console.Components.Pages.RunDetail.RunDetail;

namespace FlowDashboard.Console.Tests.Components.Pages.RunDetail;

/// <summary>The run page's operator actions: what each says it does, on the page and in its confirmation.</summary>
public sealed class RunDetailActionsTests : ConsoleTestBase
{
    private const string RunId = "run-1";

    private static readonly DateTimeOffset Started = Now.AddMinutes(-10);

    [Fact]
    public void Render_FailedRun_ExplainsResumeAndRetryStepInWordsBesideTheirButtons()
    {
        var cut = RenderRun(RunStatus.Failed);

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("runs every failed step again, each with a fresh retry budget", cut.Find("[data-testid=resume-explained]").TextContent, StringComparison.Ordinal);
            Assert.Contains("runs only charge again, with a fresh retry budget", cut.Find("[data-testid=retry-explained]").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_CompletedRun_ExplainsNoResume()
    {
        var cut = RenderRun(RunStatus.Completed);

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindAll("[data-testid=run-actions]"));
            Assert.Empty(cut.FindAll("[data-testid=resume-explained]"));
        });
    }

    [Fact]
    public void ClickResume_FailedRun_ConfirmationNamesBothButtonsByTheirEffectAndResumes()
    {
        var cut = RenderRun(RunStatus.Failed);

        cut.WaitForElement("[data-testid=resume]").Click();

        cut.WaitForDialog();
        Assert.Equal(["Go back", "Resume run"], cut.DialogButtons());
        cut.ClickDialogButton("Resume run");
        cut.WaitForAssertion(() => Assert.Contains($"resume {RunId}", Operations.Calls));
    }

    [Fact]
    public void ClickRetryStep_FailedStep_ConfirmationNamesTheStepAndRetriesIt()
    {
        var cut = RenderRun(RunStatus.Failed);

        cut.WaitForElement("[data-testid=retry-step]").Click();

        cut.WaitForDialog();
        Assert.Equal(["Go back", "Retry step charge"], cut.DialogButtons());
        cut.ClickDialogButton("Retry step charge");
        cut.WaitForAssertion(() => Assert.Contains($"retry-step {RunId} charge", Operations.Calls));
    }

    [Fact]
    public void ClickDelete_FinishedRun_OffersToKeepIt()
    {
        var cut = RenderRun(RunStatus.Completed);

        cut.WaitForElement("[data-testid=delete]").Click();

        cut.WaitForDialog();
        Assert.Equal(["Keep it", "Delete run"], cut.DialogButtons());
    }

    [Fact]
    public void Render_TracedRunAndATraceViewerConfigured_LinksToTheRunsTrace()
    {
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Context.Services.GetRequiredService<IOptions<FlowDashboardOptions>>().Value.TraceUrl = "http://127.0.0.1:16686/trace/{traceId}";

        var cut = RenderRun(RunStatus.Completed, trace);

        var link = cut.WaitForElement("[data-testid=trace-link]");
        Assert.Equal($"http://127.0.0.1:16686/trace/{trace}", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
    }

    [Fact]
    public void Render_TracedRunWithoutATraceViewer_ShowsNoTraceLink()
    {
        var cut = RenderRun(RunStatus.Completed, "4bf92f3577b34da6a3ce929d0e0e4736");

        cut.WaitForElement("[data-testid=run-facts]");
        Assert.Empty(cut.FindAll("[data-testid=trace-link]"));
    }

    // A run of one step, "charge", which failed (or completed) with the run.
    [Fact]
    public void Render_TaggedRun_ShowsEachTagAsALinkToTheRunsWithIt()
    {
        var cut = RenderRun(RunStatus.Completed, tags: new Dictionary<string, string> { ["customer"] = "acme 42", ["region"] = "eu" });

        var links = cut.WaitForElement("[data-testid=run-facts] [data-testid=run-tags]").QuerySelectorAll("a.fd-tag");
        Assert.Equal(["customeracme 42", "regioneu"], links.Select(l => l.TextContent));
        Assert.Equal(["runs?tag=customer%3Dacme%2042", "runs?tag=region%3Deu"], links.Select(l => l.GetAttribute("href")));
    }

    [Fact]
    public void Render_RunWithoutTags_ShowsNoTagsFact()
    {
        var cut = RenderRun(RunStatus.Completed);

        cut.WaitForElement("[data-testid=run-facts]");
        Assert.Empty(cut.FindAll("[data-testid=run-tags]"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Render_RunWithOrWithoutADeadline_ShowsWhenItTimesOutOnlyWithOne(bool hasDeadline)
    {
        var cut = RenderRun(RunStatus.Running, timesOutAt: hasDeadline ? Started.AddMinutes(30) : null);

        cut.WaitForElement("[data-testid=run-facts]");
        Assert.Equal(hasDeadline ? ["Times out"] : [], cut.FindAll("[data-testid=times-out] label").Select(l => l.TextContent));
    }

    [Fact]
    public void ClickRerunFromHere_FinishedRun_DialogTakesAnEditedInputAndOpensTheNewRun()
    {
        var cut = RenderRun(RunStatus.Failed);

        cut.WaitForElement("[data-testid=rerun-from]").Click();
        cut.WaitForDialog();
        Assert.Contains("reuses the recorded results of every step before", cut.Find("[data-testid=rerun-explained]").TextContent, StringComparison.Ordinal);
        cut.Find("textarea[data-testid=rerun-input]").Input("""{"orderId": 8}""");
        Time.Advance(TimeSpan.FromMilliseconds(250));
        cut.WaitForAssertion(() => Assert.Equal("""{"orderId": 8}""", cut.Find("textarea[data-testid=rerun-input]").GetAttribute("value") ?? cut.Find("textarea[data-testid=rerun-input]").TextContent));
        cut.Find("[data-testid=rerun-start]").Click();

        cut.WaitForAssertion(() => Assert.Contains($$"""rerun {{RunId}} charge {"orderId": 8}""", Operations.Calls));
        cut.WaitForAssertion(() => Assert.EndsWith("/runs/rerun-1", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RunningRun_OffersNoRerun()
    {
        var cut = RenderRun(RunStatus.Running);

        cut.WaitForElement("[data-testid=run-facts]");
        Assert.Empty(cut.FindAll("[data-testid=rerun-from]"));
    }

    [Fact]
    public void Render_RunWithReruns_LinksToEach()
    {
        var cut = RenderRun(RunStatus.Completed, reruns: ["r-2", "r-3"]);

        var links = cut.WaitForElement("[data-testid=reruns]").QuerySelectorAll("a");
        Assert.Equal(["runs/r-2", "runs/r-3"], links.Select(a => a.GetAttribute("href")));
    }

    private IRenderedComponent<ContainerFragment> RenderRun(
        RunStatus status, string? traceId = null, IReadOnlyDictionary<string, string>? tags = null, DateTimeOffset? timesOutAt = null,
        IReadOnlyList<string>? reruns = null)
    {
        var stepStatus = status == RunStatus.Failed ? StepStatus.Failed : StepStatus.Completed;
        var attemptStatus = status == RunStatus.Failed ? AttemptStatus.Failed : AttemptStatus.Completed;
        var error = status == RunStatus.Failed ? "card declined" : null;
        Operations.CanOperate = true;
        Queries.Timelines[RunId] = new RunInfo(RunId, "order-fulfillment", status, "api", Started, Started, Started.AddSeconds(5), null, null, null,
            error is null ? null : $"Step 'charge' failed: {error}",
            [
                new StepInfo("charge", StepKind.Run, stepStatus, Started, Started.AddSeconds(5), null, null, null, null,
                    [new AttemptInfo(1, attemptStatus, Started, Started, Started.AddSeconds(5), null, null, null)]),
            ])
        {
            TraceId = traceId,
            Tags = tags ?? new Dictionary<string, string>(),
            TimesOutAt = timesOutAt,
            Reruns = reruns ?? [],
        };
        Queries.Steps[(RunId, "charge")] = new StepInfo("charge", StepKind.Run, stepStatus, Started, Started.AddSeconds(5), null, null, null, error,
            [new AttemptInfo(1, attemptStatus, Started, Started, Started.AddSeconds(5), error, error is null ? null : typeof(InvalidOperationException).FullName, null)]);
        return Context.RenderWithDialogs<RunDetailPage>(new Dictionary<string, object?> { ["RunId"] = RunId });
    }
}
