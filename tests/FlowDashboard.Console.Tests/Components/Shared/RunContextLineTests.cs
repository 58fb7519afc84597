using FlowDashboard.Client;
using FlowDashboard.Console.Components.Shared;
using FlowDashboard.States;

namespace FlowDashboard.Console.Tests.Components.Shared;

public sealed class RunContextLineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_WaitingForAnEvent_NamesTheEventAndWhenItTimesOut()
    {
        var run = Run(RunStatus.Waiting) with { Step = new StepContext("approval", StepKind.WaitForEvent, StepStatus.Waiting, "approve-42", Now.AddDays(1)) };

        Assert.Equal(new RunContextLine("Waits for event", "approve-42", Now.AddDays(1), "times out"), RunContextLine.For(run, Now));
    }

    [Fact]
    public void For_EachKindOfWait_SaysWhatItWaitsFor()
    {
        RunContextLine? Line(StepContext step) => RunContextLine.For(Run(RunStatus.Running) with { Step = step }, Now);

        Assert.Equal(
            new RunContextLine("Sleeping in", "cool-off", Now.AddHours(3), "until"),
            Line(new StepContext("cool-off", StepKind.Sleep, StepStatus.Sleeping, null, Now.AddHours(3))));
        Assert.Equal(
            new RunContextLine("Waits for call", "POST https://pay.example/charge"),
            Line(new StepContext("charge", StepKind.Call, StepStatus.Waiting, "POST https://pay.example/charge", null)));
        Assert.Equal(
            new RunContextLine("Waits for child run", "order-7-label"),
            Line(new StepContext("label", StepKind.Invoke, StepStatus.Waiting, "order-7-label", null)));
        Assert.Equal(
            new RunContextLine("Retries", "reserve", Now.AddMinutes(10), "at"),
            Line(new StepContext("reserve", StepKind.Run, StepStatus.Running, null, Now.AddMinutes(10))));

        // A running step whose attempt time is past is running now, not waiting for a retry.
        Assert.Equal(new RunContextLine("At step", "reserve"), Line(new StepContext("reserve", StepKind.Run, StepStatus.Running, null, Now.AddSeconds(-1))));
    }

    [Fact]
    public void For_FinishedRuns_ErrorOrWhoCancelledOrNothing()
    {
        Assert.Equal(new RunContextLine("Error", "Step 'reserve' failed: no stock", IsError: true), RunContextLine.For(Run(RunStatus.Failed) with { Error = "Step 'reserve' failed: no stock" }, Now));
        Assert.Equal(new RunContextLine("Cancelled", "by olga (bulk 7f3a)"), RunContextLine.For(Run(RunStatus.Cancelled) with { CancelledBy = "olga", CancelDetail = "bulk 7f3a" }, Now));
        Assert.Equal(new RunContextLine("Cancelled", "by code"), RunContextLine.For(Run(RunStatus.Cancelled), Now));
        Assert.Null(RunContextLine.For(Run(RunStatus.Completed), Now));
    }

    [Fact]
    public void For_PendingRunDueLater_SaysWhenItStarts()
    {
        Assert.Equal(new RunContextLine("Starts", null, Now.AddHours(1), "at"), RunContextLine.For(Run(RunStatus.Pending) with { DueAt = Now.AddHours(1) }, Now));
        Assert.Null(RunContextLine.For(Run(RunStatus.Pending) with { DueAt = Now }, Now));
    }

    private static RunSummaryInfo Run(RunStatus status) => new("run-1", "orders", status, RunSource.Api, Now.AddMinutes(-5), Now.AddMinutes(-5), null, null, null);
}
