using Bunit;
using FlowDashboard.Console.Components.Shared;

namespace FlowDashboard.Console.Tests.Components.Shared;

public sealed class ErrorPanelTests : ConsoleTestBase
{
    private const string NonRetryable = "FlowDashboard.Exceptions.NonRetryableException";

    private const string Message = "Only 1000 gadget(s) in stock for order big-order.\nAsk purchasing to restock, then retry the step.";

    // A path long enough that a fixed-width cell clips it: the panel shows it whole.
    private const string OwnFrame =
        "   at FlowDashboard.Host.Examples.OrderFulfillment.CheckInventory.Reserve(Order order) in /home/build/agent/work/shop/src/FlowDashboard.Host/Examples/OrderFulfillment/CheckInventory.cs:line 31";

    private const string Trace =
        OwnFrame + "\n" +
        "   at FlowDashboard.Engine.WorkflowExecution.InvokeAsync[T](Func`2 action, Nullable`1 timeout)\n" +
        "--- End of stack trace from previous location ---\n" +
        "   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)";

    [Fact]
    public void Render_StackTrace_ShowsEveryLineInFullWithTheOwnFrameHighlightedAndTheRestMuted()
    {
        var cut = RenderPanel(expanded: true);

        var own = Assert.Single(cut.FindAll(".fd-stack-trace .fd-frame-own"));
        Assert.Equal(OwnFrame.Trim(), own.TextContent);
        Assert.Equal(2, cut.FindAll(".fd-stack-trace .fd-frame-engine").Count);
        Assert.Single(cut.FindAll(".fd-stack-trace .fd-frame-other"));
        Assert.Equal(Message, cut.Find("[data-testid=error-message]").TextContent);
        Assert.Contains(NonRetryable, cut.Find(".fd-error-body").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Expanded_OpensThePanelWithItsTypeAndFirstLineInTheSummary()
    {
        var cut = RenderPanel(expanded: true);

        var panel = cut.Find("[data-testid=error-panel]");
        Assert.True(panel.HasAttribute("open"));
        var summary = cut.Find("summary").TextContent;
        Assert.Contains("Attempt 2", summary, StringComparison.Ordinal);
        Assert.Contains("NonRetryableException", summary, StringComparison.Ordinal);
        Assert.Contains("Only 1000 gadget(s) in stock for order big-order.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Ask purchasing", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NotExpanded_LeavesThePanelClosed()
    {
        var cut = RenderPanel(expanded: false);

        Assert.False(cut.Find("[data-testid=error-panel]").HasAttribute("open"));
    }

    [Fact]
    public void ClickCopy_Error_CopiesTypeMessageAndStackTraceAsDotNetWritesThem()
    {
        Context.JSInterop.SetupVoid("flowDashboard.copyText", _ => true).SetVoidResult();
        var cut = RenderPanel(expanded: true);

        cut.Find("[data-testid=copy-error]").Click();

        cut.WaitForAssertion(() => Assert.Equal($"{NonRetryable}: {Message}\n{Trace}", Context.JSInterop.VerifyInvoke("flowDashboard.copyText").Arguments[0]));
    }

    private IRenderedComponent<ErrorPanel> RenderPanel(bool expanded) =>
        Context.Render<ErrorPanel>(p => p
            .Add(e => e.Label, "Attempt 2")
            .Add(e => e.ErrorType, NonRetryable)
            .Add(e => e.Message, Message)
            .Add(e => e.StackTrace, Trace)
            .Add(e => e.Expanded, expanded));
}
