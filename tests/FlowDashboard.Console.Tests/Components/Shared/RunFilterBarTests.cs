using Bunit;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Shared;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.AspNetCore.Components;

namespace FlowDashboard.Console.Tests.Components.Shared;

public sealed class RunFilterBarTests : ConsoleTestBase
{
    private static readonly IReadOnlyList<string> Workflows = ["onboarding", "order-fulfillment"];

    private readonly List<RunFilter> changes = [];

    [Fact]
    public void ChooseWorkflow_FromTheSelect_RaisesFilterChangedWithItAndKeepsTheRest()
    {
        var cut = RenderBar(new RunFilter { Search = "abc", Statuses = [RunStatus.Failed] });

        cut.Find(".fd-filter-workflow").MouseDown();
        cut.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "order-fulfillment").Click();

        cut.WaitForAssertion(() => Assert.Single(changes));
        Assert.Equal("order-fulfillment", changes[0].Workflow);
        Assert.Equal("abc", changes[0].Search);
        Assert.Equal([RunStatus.Failed], changes[0].Statuses!);
        Assert.Null(changes[0].CreatedFrom);
    }

    [Fact]
    public void FailureGroupFilter_ShownAsChips_ClosingOneRemovesOnlyIt()
    {
        var cut = RenderBar(new RunFilter { Workflow = "onboarding", FailedStep = "reserve", ErrorType = "Shop.OutOfStockException", EndedFrom = Now.AddHours(-1) });

        var chips = cut.FindAll("[data-testid=filter-chips] .mud-chip");
        Assert.Equal(3, chips.Count);
        Assert.Contains("reserve", chips[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("OutOfStockException", chips[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Shop.", chips[1].TextContent, StringComparison.Ordinal);

        cut.FindAll("[data-testid=filter-chips] .mud-chip-close-button")[0].Click();

        cut.WaitForAssertion(() => Assert.Single(changes));
        Assert.Equal(new RunFilter { Workflow = "onboarding", ErrorType = "Shop.OutOfStockException", EndedFrom = Now.AddHours(-1) }, changes[0] with { Statuses = null });
    }

    [Fact]
    public void ChooseAllWorkflows_WhenOneWasChosen_RaisesFilterChangedWithNoWorkflow()
    {
        var cut = RenderBar(new RunFilter { Workflow = "onboarding" });

        cut.Find(".fd-filter-workflow").MouseDown();
        cut.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "All workflows").Click();

        cut.WaitForAssertion(() => Assert.Equal(new RunFilter(), Assert.Single(changes)));
    }

    // The field waits for a pause in typing (DebounceInterval 400 ms, timed by the registered TimeProvider) before it raises the change.
    [Fact]
    public void TypeSearch_TextWithSpaces_RaisesFilterChangedWithTheTrimmedText()
    {
        var cut = RenderBar(new RunFilter { Workflow = "onboarding" });

        cut.Find("input[data-testid=filter-search]").Input("  abc ");
        Assert.Empty(changes);
        Time.Advance(TimeSpan.FromMilliseconds(400));

        cut.WaitForAssertion(() => Assert.Equal(new RunFilter { Workflow = "onboarding", Search = "abc" }, Assert.Single(changes)));
    }

    [Fact]
    public void ClearSearch_WhitespaceOnly_RaisesFilterChangedWithNoSearch()
    {
        var cut = RenderBar(new RunFilter { Search = "abc" });

        cut.Find("input[data-testid=filter-search]").Input("   ");
        Time.Advance(TimeSpan.FromMilliseconds(400));

        cut.WaitForAssertion(() => Assert.Equal(new RunFilter(), Assert.Single(changes)));
    }

    [Fact]
    public void TypeTag_ThenEnter_AddsItToTheFilterKeepingTheRest()
    {
        var cut = RenderBar(new RunFilter { Workflow = "onboarding", Tags = [new RunTag("region", "eu")] });

        var field = cut.Find("input[data-testid=filter-tag]");
        field.Input(" customer=42 ");
        field.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        cut.WaitForAssertion(() => Assert.Single(changes));
        Assert.Equal("onboarding", changes[0].Workflow);
        Assert.Equal([new RunTag("region", "eu"), new RunTag("customer", "42")], changes[0].Tags!);
    }

    [Fact]
    public void TypeTag_WithoutValue_ShowsWhyAndChangesNothing()
    {
        var cut = RenderBar(new RunFilter());

        var field = cut.Find("input[data-testid=filter-tag]");
        field.Input("customer");
        field.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        cut.WaitForAssertion(() => Assert.Contains("write it as key=value", cut.Find(".fd-filter-tag").TextContent, StringComparison.Ordinal));
        Assert.Empty(changes);
    }

    [Fact]
    public void TagFilter_ShownAsChips_ClosingOneRemovesOnlyIt()
    {
        var cut = RenderBar(new RunFilter { Tags = [new RunTag("region", "eu"), new RunTag("customer", "42")] });

        var chips = cut.FindAll("[data-testid=filter-tag-chip]");
        Assert.Equal(["region=eu", "customer=42"], chips.Select(c => c.QuerySelector(".fd-mono")!.TextContent.Trim()));

        cut.FindAll("[data-testid=filter-chips] .mud-chip-close-button")[0].Click();

        cut.WaitForAssertion(() => Assert.Single(changes));
        Assert.Equal([new RunTag("customer", "42")], changes[0].Tags!);
    }

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderBar(RunFilter filter) =>
        RenderWithPopovers<RunFilterBar>(new Dictionary<string, object?>
        {
            [nameof(RunFilterBar.Filter)] = filter,
            [nameof(RunFilterBar.FilterChanged)] = EventCallback.Factory.Create<RunFilter>(this, changes.Add),
            [nameof(RunFilterBar.Workflows)] = Workflows,
        });
}
