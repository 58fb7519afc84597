using Bunit;
using FlowDashboard.Client;
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

        cut.WaitForElement("[data-testid=page-older]:not([disabled])").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Queries.ListRequests.Count));
        Assert.EndsWith("/runs?workflow=onboarding&after=cursor-2", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("cursor-2", Queries.ListRequests[1].Cursor);
        Assert.Equal("onboarding", Queries.ListRequests[1].Filter.Workflow);
    }
}
