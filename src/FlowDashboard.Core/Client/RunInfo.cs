using System.Text.Json;
using System.Text.Json.Serialization;
using FlowDashboard.States;

namespace FlowDashboard.Client;

/// <summary>
/// A read-only snapshot of a run with its input, output and steps in execution order;
/// <see cref="Queries.IRunQueryService.GetTimelineAsync"/> leaves step outputs and errors null.
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Status">Where the run stands.</param>
/// <param name="Source">Who or what triggered it.</param>
/// <param name="CreatedAt">When it was triggered.</param>
/// <param name="StartedAt">When its first execution began.</param>
/// <param name="CompletedAt">When it reached a final state.</param>
/// <param name="DueAt">When it will next execute (a delayed start, a retry, a wake-up), if it will.</param>
/// <param name="Input">The input as JSON.</param>
/// <param name="Output">The body's result as JSON, once completed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Steps">Its steps, in execution order.</param>
public sealed record RunInfo(
    string RunId,
    string Workflow,
    RunStatus Status,
    RunSource Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? DueAt,

    // Order 1 puts them after the row's fields, where they were: the serializer writes a derived record's own properties first.
    [property: JsonPropertyOrder(1)] JsonElement? Input,
    [property: JsonPropertyOrder(1)] JsonElement? Output,
    string? Error,
    [property: JsonPropertyOrder(1)] IReadOnlyList<StepInfo> Steps)
    : RunSummaryInfo(RunId, Workflow, Status, Source, CreatedAt, StartedAt, CompletedAt, DueAt, Error)
{
    /// <summary>
    /// The W3C trace id of the run's spans (see <see cref="Telemetry.FlowTelemetry"/>): the trace of the request or
    /// schedule that started it; null when nothing traced it.
    /// </summary>
    [JsonPropertyOrder(1)]
    public string? TraceId { get; init; }

    /// <summary>For an unfinished run of a workflow with a timeout: when it fails unless it has finished; null otherwise.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset? TimesOutAt { get; init; }

    /// <summary>The runs an operator started from this one's steps (<c>POST /runs/{id}/rerun</c>), oldest first.</summary>
    [JsonPropertyOrder(1)]
    public IReadOnlyList<string> Reruns { get; init; } = [];
}
