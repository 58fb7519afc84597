using Bunit;
using Bunit.Rendering;
using FlowDashboard.Client;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.States;
using RunsPage = FlowDashboard.Console.Components.Pages.Runs.Runs;

namespace FlowDashboard.Console.Tests.Components.Pages.Runs;

public sealed class RunsPageTests : ConsoleTestBase
{
    public RunsPageTests()
    {
        Queries.WorkflowList.AddRange(
        [
            new WorkflowInfo("onboarding", "OnboardingInput", "{}"),
            new WorkflowInfo("order-fulfillment", "Order", "{}"),
        ]);
    }

    [Fact]
    public void Render_UrlWithAFilter_AsksForExactlyThatFilterFromTheFirstPage()
    {
        Navigation.NavigateTo("runs?workflow=order-fulfillment&status=Failed&search=abc");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));
        var request = Queries.ListRequests[0];
        Assert.Equal("order-fulfillment", request.Filter.Workflow);
        Assert.Equal([RunStatus.Failed], request.Filter.Statuses!);
        Assert.Equal("abc", request.Filter.Search);
        Assert.Null(request.Filter.CreatedFrom);
        Assert.Null(request.Filter.CreatedTo);
        Assert.Null(request.Cursor);
        cut.WaitForAssertion(() => Assert.Equal("order-fulfillment", Assert.Single(Queries.CountRequests).Workflow));
    }

    [Fact]
    public void Render_UrlWithTags_AsksForRunsWithEveryTagAndShowsEachRowsTags()
    {
        var tags = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3", ["d"] = "4", ["e"] = "5" };
        Queries.Page = new RunPage([Running("run-1") with { Tags = tags }], null);
        Navigation.NavigateTo("runs?tag=customer%3D42&tag=region%3Deu");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));
        Assert.Equal([new RunTag("customer", "42"), new RunTag("region", "eu")], Queries.ListRequests[0].Filter.Tags!);
        var row = cut.WaitForElement("[data-run-id=run-1] [data-testid=run-tags]");
        Assert.Equal(["a1", "b2", "c3"], row.QuerySelectorAll("a.fd-tag").Select(a => a.TextContent));
        Assert.Equal("+2", row.QuerySelector(".fd-tag-more")!.TextContent.Trim());
        Assert.Equal(2, cut.FindAll("[data-testid=filter-tag-chip]").Count);
    }

    [Theory]
    [InlineData("runs?size=100", 100)]
    [InlineData("runs?size=7", 50)]
    [InlineData("runs", 50)]
    public void Render_PageSizeInTheUrl_ListsThatManyOrTheDefault(string url, int expected)
    {
        Navigation.NavigateTo(url);

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Equal(expected, Assert.Single(Queries.ListRequests).PageSize));
    }

    [Fact]
    public void Render_FailedRunsPath_GroupsTheFailuresByCauseAboveTheList()
    {
        Queries.FailureGroups.Add(new FailureGroup("onboarding", "send-welcome", "System.TimeoutException", 12, Now.AddDays(-2), Now.AddHours(-1), "timed out", "run-12"));
        Navigation.NavigateTo("failed");

        var cut = RenderWithPopovers<RunsPage>();

        var group = cut.WaitForElement("[data-testid=failed-causes] [data-testid=failure-group]");
        Assert.Contains("send-welcome", group.TextContent, StringComparison.Ordinal);
        Assert.Equal("12 runs", group.QuerySelector("[data-testid=failure-group-runs]")!.TextContent);
    }

    [Fact]
    public void Reload_FailedView_ReadsTheCausesAgainOnlyEveryTenSeconds()
    {
        Navigation.NavigateTo("failed");
        var cut = RenderWithPopovers<RunsPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Queries.FailureGroupRequests));

        // A reload a moment later (here: another page size) reads the list again, not the causes; ten seconds on, both.
        Time.Advance(TimeSpan.FromSeconds(2));
        cut.InvokeAsync(() => Navigation.NavigateTo("failed?size=25"));
        cut.WaitForAssertion(() => Assert.Equal(2, Queries.ListRequests.Count));
        Assert.Equal(1, Queries.FailureGroupRequests);
        Time.Advance(TimeSpan.FromSeconds(10));
        cut.InvokeAsync(() => Navigation.NavigateTo("failed?size=100"));
        cut.WaitForAssertion(() => Assert.Equal(3, Queries.ListRequests.Count));
        Assert.Equal(2, Queries.FailureGroupRequests);
    }

    [Fact]
    public void Render_RunsPath_ShowsNoFailureGroups()
    {
        Queries.FailureGroups.Add(new FailureGroup("onboarding", "send-welcome", "System.TimeoutException", 12, Now.AddDays(-2), Now.AddHours(-1), "timed out", "run-12"));
        Navigation.NavigateTo("runs");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));
        Assert.Empty(cut.FindAll("[data-testid=failed-causes]"));
    }

    [Fact]
    public void Render_FailedRunsPath_ForcesTheFailedStatusWhateverTheUrlSays()
    {
        Navigation.NavigateTo("failed?workflow=onboarding&status=Completed");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));
        Assert.Equal("onboarding", Queries.ListRequests[0].Filter.Workflow);
        Assert.Equal([RunStatus.Failed], Queries.ListRequests[0].Filter.Statuses!);
        Assert.Equal("Failed runs", cut.Find(".mud-typography-h5").TextContent);
    }

    [Fact]
    public void Render_UserWhoCanOperate_ShowsNewRun()
    {
        Operations.CanOperate = true;
        Navigation.NavigateTo("runs");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=new-run]")));
    }

    [Fact]
    public void Render_UserWhoCannotOperate_HidesNewRun()
    {
        Operations.CanOperate = false;
        Navigation.NavigateTo("runs");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindAll("[data-testid=run-table]"));
            Assert.Empty(cut.FindAll("[data-testid=new-run]"));
        });
    }

    [Fact]
    public void ChooseWorkflow_InTheFilterBar_PutsItInTheUrlAndAsksForIt()
    {
        Navigation.NavigateTo("runs?search=abc");
        var cut = RenderWithPopovers<RunsPage>();
        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));

        cut.Find(".fd-filter-workflow").MouseDown();
        cut.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "order-fulfillment").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Queries.ListRequests.Count));
        Assert.EndsWith("/runs?workflow=order-fulfillment&search=abc", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(new RunFilter { Workflow = "order-fulfillment", Search = "abc" }, Queries.ListRequests[1].Filter);
        Assert.Null(Queries.ListRequests[1].Cursor);
    }

    [Fact]
    public void ClickOlder_PageWithANextCursor_AsksForTheNextPageOfTheSameFilter()
    {
        Queries.Page = new RunPage([new RunSummaryInfo("run-1", "onboarding", RunStatus.Failed, "api", Now, Now, Now, null, "boom")], "cursor-2");
        Navigation.NavigateTo("runs?workflow=onboarding");
        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForElement("[data-testid=page-next]:not([disabled])").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Queries.ListRequests.Count));
        Assert.EndsWith("/runs?workflow=onboarding&after=cursor-2", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("cursor-2", Queries.ListRequests[1].Cursor);
        Assert.Equal("onboarding", Queries.ListRequests[1].Filter.Workflow);
    }

    [Fact]
    public void ClickCreatedHeader_NewestFirst_ListsOldestFirstFromTheStartAndPagingSaysNewer()
    {
        Queries.Page = new RunPage([new RunSummaryInfo("run-1", "onboarding", RunStatus.Failed, "api", Now, Now, Now, null, "boom")], "cursor-2");
        Navigation.NavigateTo("runs?workflow=onboarding&after=cursor-1");
        var cut = RenderWithPopovers<RunsPage>();
        cut.WaitForAssertion(() => Assert.Single(Queries.ListRequests));
        Assert.Equal("descending", cut.Find("th[aria-sort]").GetAttribute("aria-sort"));
        Assert.Equal("Older", cut.Find("[data-testid=page-next]").TextContent.Trim());

        cut.Find("[data-testid=sort-created]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Queries.ListRequests.Count));
        Assert.EndsWith("/runs?workflow=onboarding&order=oldest", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(RunOrder.OldestFirst, Queries.ListRequests[1].Order);
        Assert.Null(Queries.ListRequests[1].Cursor);
        cut.WaitForAssertion(() => Assert.Equal("ascending", cut.Find("th[aria-sort]").GetAttribute("aria-sort")));
        Assert.Equal("Newer", cut.Find("[data-testid=page-next]").TextContent.Trim());
        Assert.Equal("Older", cut.Find("[data-testid=page-previous]").TextContent.Trim());

        cut.Find("[data-testid=page-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, Queries.ListRequests.Count));
        Assert.Equal(("cursor-2", RunOrder.OldestFirst), (Queries.ListRequests[2].Cursor, Queries.ListRequests[2].Order));
        Assert.EndsWith("/runs?workflow=onboarding&after=cursor-2&order=oldest", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickBulkCancel_TwoSelectedRuns_ConfirmationNamesBothButtonsByTheirEffect()
    {
        var cut = RenderWithSelected("runs", Running("run-1"), Running("run-2"));

        cut.Find("[data-testid=bulk-cancel]").Click();

        cut.WaitForDialog();
        var buttons = cut.DialogButtons();
        Assert.Equal(["Keep them", "Cancel 2 runs"], buttons);
        Assert.Equal(buttons.Count, buttons.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void ClickBulkDelete_OneSelectedRun_OffersToKeepIt()
    {
        var cut = RenderWithSelected("runs", Running("run-1"));

        cut.Find("[data-testid=bulk-delete]").Click();

        cut.WaitForDialog();
        Assert.Equal(["Keep it", "Delete 1 run"], cut.DialogButtons());
    }

    [Fact]
    public void ConfirmBulkCancel_SelectedRuns_StartsTheBulkCancel()
    {
        var cut = RenderWithSelected("runs", Running("run-1"), Running("run-2"));
        cut.Find("[data-testid=bulk-cancel]").Click();
        cut.WaitForDialog();

        cut.ClickDialogButton("Cancel 2 runs");

        cut.WaitForAssertion(() => Assert.Contains("bulk Cancel", Operations.Calls));
    }

    [Fact]
    public void DismissBulkCancel_SelectedRuns_StartsNothing()
    {
        var cut = RenderWithSelected("runs", Running("run-1"), Running("run-2"));
        cut.Find("[data-testid=bulk-cancel]").Click();
        cut.WaitForDialog();

        cut.ClickDialogButton("Keep them");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        Assert.Empty(Operations.Calls);
    }

    [Fact]
    public void ClickBulkResume_SelectedRunsSomeFailedNonRetryable_SaysHowManyBeforeConfirming()
    {
        var nonRetryable = typeof(NonRetryableException).FullName!;
        Queries.ErrorTypes["run-1"] = nonRetryable;
        Queries.ErrorTypes["run-2"] = nonRetryable;
        Queries.ErrorTypes["run-3"] = typeof(TimeoutException).FullName!;
        var cut = RenderWithSelected("failed", Failed("run-1"), Failed("run-2"), Failed("run-3"));

        cut.Find("[data-testid=bulk-resume]").Click();

        var dialog = cut.WaitForDialog().TextContent;
        Assert.Contains("2 of 3 failed with a non-retryable error (NonRetryableException)", dialog, StringComparison.Ordinal);
        Assert.Equal(["Go back", "Resume 3 runs"], cut.DialogButtons());
        Assert.Contains(Queries.CountRequests, r => r.ErrorType == nonRetryable && r.Statuses is [RunStatus.Failed] && string.Join(",", (r.RunIds ?? []).Order(StringComparer.Ordinal)) == "run-1,run-2,run-3");
    }

    [Fact]
    public void ClickBulkResume_SelectedRunsNoneFailedNonRetryable_SaysNone()
    {
        Queries.ErrorTypes["run-1"] = typeof(TimeoutException).FullName!;
        var cut = RenderWithSelected("failed", Failed("run-1"));

        cut.Find("[data-testid=bulk-resume]").Click();

        Assert.Contains("None of them failed with a non-retryable error", cut.WaitForDialog().TextContent, StringComparison.Ordinal);
    }

    // The page with these runs listed, every one selected with the table's select-all box.
    [Fact]
    public void ClickPause_WorkflowChosen_ConfirmsThenPausesIt()
    {
        Operations.CanOperate = true;
        Navigation.NavigateTo("runs?workflow=onboarding");
        var cut = Context.RenderWithDialogs<RunsPage>();

        cut.WaitForElement("[data-testid=pause-workflow]").Click();
        cut.WaitForDialog();
        Assert.Equal(["Keep it running", "Pause onboarding"], cut.DialogButtons());
        cut.ClickDialogButton("Pause onboarding");

        cut.WaitForAssertion(() => Assert.Contains("pause onboarding", Operations.Calls));
    }

    [Fact]
    public void Render_PausedWorkflow_BannerSaysHowManyRunsItHoldsAndResumeReleasesThem()
    {
        Operations.CanOperate = true;
        Queries.Pauses.Add(new PauseInfo("onboarding", null, Now.AddMinutes(-5), "alice", 12));
        Navigation.NavigateTo("runs?workflow=onboarding");
        var cut = Context.RenderWithDialogs<RunsPage>();

        var banner = cut.WaitForElement("[data-testid=paused-workflow]");
        Assert.Equal("12 runs held", banner.QuerySelector("[data-testid=held-count]")!.TextContent.Trim());
        Assert.Contains("alice", banner.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=pause-workflow]"));
        cut.Find("[data-testid=resume-workflow]").Click();
        cut.WaitForDialog();
        cut.ClickDialogButton("Resume onboarding");

        cut.WaitForAssertion(() => Assert.Contains("resume-workflow onboarding", Operations.Calls));
    }

    [Fact]
    public void Render_HeldRun_RowShowsPaused()
    {
        Queries.Page = new RunPage([Running("run-1") with { Held = true }, Running("run-2")], null);
        Navigation.NavigateTo("runs");

        var cut = RenderWithPopovers<RunsPage>();

        cut.WaitForAssertion(() => Assert.Equal(["Paused"], cut.FindAll("[data-run-id=run-1] .fd-status-paused").Select(b => b.TextContent)));
        Assert.Empty(cut.FindAll("[data-run-id=run-2] .fd-status-paused"));
    }

    private IRenderedComponent<ContainerFragment> RenderWithSelected(string path, params RunSummaryInfo[] runs)
    {
        Operations.CanOperate = true;
        Queries.Page = new RunPage(runs, null);
        Queries.Count = runs.Length;
        Navigation.NavigateTo(path);
        var cut = Context.RenderWithDialogs<RunsPage>();
        cut.WaitForElement("[data-testid=run-table] thead input[type=checkbox]").Change(true);
        cut.WaitForAssertion(() => Assert.Equal($"{runs.Length} selected", cut.Find("[data-testid=selected-count]").TextContent.Trim()));
        return cut;
    }

    private static RunSummaryInfo Running(string runId) => new(runId, "onboarding", RunStatus.Running, "api", Now, Now, null, null, null);

    private static RunSummaryInfo Failed(string runId) => new(runId, "onboarding", RunStatus.Failed, "api", Now, Now, Now, null, "boom");
}
