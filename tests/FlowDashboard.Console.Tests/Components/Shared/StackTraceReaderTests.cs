using FlowDashboard.Console.Components.Shared;

namespace FlowDashboard.Console.Tests.Components.Shared;

public sealed class StackTraceReaderTests
{
    [Theory]
    [InlineData("   at Shop.Inventory.StockService.Reserve(String sku, Int32 quantity) in /src/Shop/Inventory/StockService.cs:line 42")]
    [InlineData("   at Shop.Orders.OrderWorkflow.<>c__DisplayClass3_0.<<RunAsync>b__1>d.MoveNext() in /src/Shop/Orders/OrderWorkflow.cs:line 27")]
    [InlineData("   at Program.<Main>$(String[] args)")]
    public void Classify_FrameOfTheWorkflowsOwnCode_IsOwn(string line)
    {
        var classified = StackTraceReader.Classify(line);

        Assert.Equal(StackLineKind.Own, classified.Kind);
        Assert.Equal(line.Trim(), classified.Text);
    }

    [Fact]
    public void Classify_ExampleWorkflowOfTheFlowDashboardHost_IsOwnNotTheEngines()
    {
        var classified = StackTraceReader.Classify(
            "   at FlowDashboard.Host.Examples.OrderFulfillment.CheckInventory.Run(Order order) in /src/FlowDashboard.Host/Examples/OrderFulfillment/CheckInventory.cs:line 19");

        Assert.Equal(StackLineKind.Own, classified.Kind);
    }

    [Theory]
    [InlineData("   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)")]
    [InlineData("   at Microsoft.EntityFrameworkCore.Storage.RelationalCommand.ExecuteReaderAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken)")]
    [InlineData("   at Hangfire.Server.BackgroundJobPerformer.Perform(PerformContext context)")]
    [InlineData("   at FlowDashboard.Engine.WorkflowExecution.InvokeAsync[T](Func`2 action, Nullable`1 timeout) in /src/FlowDashboard.Core/Engine/WorkflowExecution.Steps.cs:line 152")]
    [InlineData("   at FlowDashboard.Execution.WorkflowRunner.RunAsync(String runId, CancellationToken cancellationToken)")]
    [InlineData("   at lambda_method42(Closure, QueryContext)")]
    public void Classify_FrameOfTheEngineOrTheFramework_IsEngine(string line)
    {
        Assert.Equal(StackLineKind.Engine, StackTraceReader.Classify(line).Kind);
    }

    [Fact]
    public void Classify_MarkerBetweenAsyncParts_IsOther()
    {
        var classified = StackTraceReader.Classify("--- End of stack trace from previous location ---");

        Assert.Equal(new StackLine("--- End of stack trace from previous location ---", StackLineKind.Other), classified);
    }

    [Fact]
    public void Read_TraceWithWindowsLineEndsAndABlankLine_KeepsEveryLineInOrder()
    {
        var trace = "   at Shop.Inventory.StockService.Reserve(Int32 quantity)\r\n\r\n--- End of stack trace from previous location ---\r\n   at System.Threading.Tasks.Task.Wait()";

        var lines = StackTraceReader.Read(trace);

        Assert.Equal(
            [
                new StackLine("at Shop.Inventory.StockService.Reserve(Int32 quantity)", StackLineKind.Own),
                new StackLine("--- End of stack trace from previous location ---", StackLineKind.Other),
                new StackLine("at System.Threading.Tasks.Task.Wait()", StackLineKind.Engine),
            ],
            lines);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Read_NoTrace_IsEmpty(string? trace)
    {
        Assert.Empty(StackTraceReader.Read(trace));
    }
}
