using FlowDashboard.States;

namespace FlowDashboard.Client;

/// <summary>One row of the runs list: a run without its input, output and steps.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Source">Who or what triggered it.</param>
/// <param name="CreatedAt">When it was triggered.</param>
/// <param name="StartedAt">When its first execution began.</param>
/// <param name="CompletedAt">When it reached a final state.</param>
/// <param name="DueAt">When it next executes, if it will.</param>
/// <param name="Error">Why it failed.</param>
public record RunSummaryInfo(
    string RunId,
    string Workflow,
    RunStatus Status,
    RunSource Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? DueAt,
    string? Error)
{
    /// <summary>What the source refers to (the original run of a restart, the schedule).</summary>
    public string? SourceRef { get; init; }

    /// <summary>For a run a schedule started: the fire time it stands for.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>Until when flow control holds the run back, if it does.</summary>
    public DateTimeOffset? ThrottledUntil { get; init; }

    /// <summary>Held by a paused workflow (or key): it goes on once the pause is resumed.</summary>
    public bool Held { get; init; }

    /// <summary>The run's tags (see <see cref="RunTag"/>), by key.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = RunTag.None;

    /// <summary>The step the run is at, or the one it failed at; null when it is at none (not started, completed, cancelled).</summary>
    public StepContext? Step { get; init; }

    /// <summary>For a cancelled run: who cancelled it (an operator, or null for code), and how (a bulk operation).</summary>
    public string? CancelledBy { get; init; }

    /// <summary>For a cancelled run: what the cancellation's record says beyond who (a bulk operation's id).</summary>
    public string? CancelDetail { get; init; }
}
