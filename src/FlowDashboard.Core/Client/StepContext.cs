using FlowDashboard.States;

namespace FlowDashboard.Client;

/// <summary>
/// Where a run stands inside its body, for a list row: the step it is at (running, sleeping, waiting, waiting out a
/// retry's back-off) or, for a failed run, the step that failed.
/// </summary>
/// <param name="Name">The step's name.</param>
/// <param name="Kind">What the step does.</param>
/// <param name="Status">Where the step stands.</param>
/// <param name="Target">What it waits on: the event id, the call's method and URL, the child run's id; null for other steps.</param>
/// <param name="Until">When its wait ends: a sleep's wake-up, a wait's timeout, a retry's next attempt; null when not waiting.</param>
public sealed record StepContext(string Name, StepKind Kind, StepStatus Status, string? Target, DateTimeOffset? Until);
