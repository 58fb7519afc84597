using System.Text.Json;
using FlowDashboard.States;

namespace FlowDashboard.Client;

/// <summary>A read-only snapshot of one step and its attempts.</summary>
/// <param name="Name">The step's name, with its occurrence suffix if repeated.</param>
/// <param name="Kind">What the step does.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="StartedAt">When it was first started.</param>
/// <param name="CompletedAt">When it reached a final state.</param>
/// <param name="WakeAt">For a sleep: when it wakes up.</param>
/// <param name="NextAttemptAt">After a failed attempt: when the next one is due.</param>
/// <param name="Output">The recorded result as JSON; null in a timeline, which does not read it.</param>
/// <param name="Error">The last attempt's error; null in a timeline, which does not read it.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record StepInfo(
    string Name,
    StepKind Kind,
    StepStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? WakeAt,
    DateTimeOffset? NextAttemptAt,
    JsonElement? Output,
    string? Error,
    IReadOnlyList<AttemptInfo> Attempts)
{
    /// <summary>What the step waits on: the event id of a wait, the URL of a call, the child run's id of an invoke.</summary>
    public string? Target { get; init; }

    /// <summary>What the step was asked to do, as JSON: a call's request, a child's input. Null in a timeline, which does not read it.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>A few words on how it ended or stands: "HTTP 200", "timed out", "event received", the child's status.</summary>
    public string? Note { get; init; }

    /// <summary>The position of the first step still open when this one was asked for: steps that ran side by side share it.</summary>
    public int? ParallelGroup { get; init; }

    /// <summary>The step's position in the run.</summary>
    public int Sequence { get; init; }
}
