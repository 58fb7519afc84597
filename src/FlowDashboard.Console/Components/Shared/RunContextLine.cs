using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Console.Components.Shared;

/// <summary>
/// What a runs list row says about where its run stands: the step it is at, what it waits for and until when, the
/// error it failed with, who cancelled it. Pure: the row draws it.
/// </summary>
/// <param name="Label">What it is, as a card's label and the line's start ("Waits for event").</param>
/// <param name="Subject">What it names (a step, an event id, a call, a child run, an error); null for nothing more.</param>
/// <param name="At">The time it mentions, if any.</param>
/// <param name="AtLabel">The words before that time ("until", "times out").</param>
/// <param name="IsError">True for a failed run's error.</param>
internal sealed record RunContextLine(string Label, string? Subject, DateTimeOffset? At = null, string? AtLabel = null, bool IsError = false)
{
    /// <summary>The line for <paramref name="run"/> at <paramref name="now"/>; null when there is nothing to say.</summary>
    public static RunContextLine? For(RunSummaryInfo run, DateTimeOffset now)
    {
        if (run.Status == RunStatus.Failed) return new RunContextLine("Error", run.Error ?? run.Step?.Name, IsError: true);
        if (run.Status == RunStatus.Cancelled)
        {
            var by = run.CancelledBy is { } actor ? $"by {actor}" : "by code";
            return new RunContextLine("Cancelled", run.CancelDetail is { } detail ? $"{by} ({detail})" : by);
        }

        if (run.Status == RunStatus.Completed) return null;
        if (run.Step is not { } step)
        {
            return run.DueAt is { } due && due > now ? new RunContextLine("Starts", null, due, "at") : null;
        }

        return step switch
        {
            { Status: StepStatus.Sleeping } => new RunContextLine("Sleeping in", step.Name, step.Until, "until"),
            { Status: StepStatus.Waiting, Kind: StepKind.WaitForEvent } => new RunContextLine("Waits for event", step.Target, step.Until, "times out"),
            { Kind: StepKind.Call, Until: { } retry } when retry > now => new RunContextLine("Waits for call", step.Target ?? step.Name, retry, "next attempt"),
            { Kind: StepKind.Call } => new RunContextLine("Waits for call", step.Target ?? step.Name),
            { Kind: StepKind.Invoke } => new RunContextLine("Waits for child run", step.Target ?? step.Name),
            { Status: StepStatus.Running, Until: { } next } when next > now => new RunContextLine("Retries", step.Name, next, "at"),
            _ => new RunContextLine("At step", step.Name),
        };
    }
}
