using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>Which runs a list, a count or a bulk action is about. Every criterion left null matches all runs.</summary>
public sealed record RunFilter
{
    /// <summary>Only these runs (a selection); not part of a list's URL.</summary>
    public IReadOnlyList<string>? RunIds { get; init; }

    /// <summary>Only runs of this workflow.</summary>
    public string? Workflow { get; init; }

    /// <summary>Only runs in one of these states; null or empty for any state.</summary>
    public IReadOnlyList<RunStatus>? Statuses { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only runs created before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only runs that ended (completed, failed or were cancelled) at or after this time.</summary>
    public DateTimeOffset? EndedFrom { get; init; }

    /// <summary>Only runs that ended before this time.</summary>
    public DateTimeOffset? EndedTo { get; init; }

    /// <summary>Only runs whose id, input, output or error contains this text, ignoring case.</summary>
    public string? Search { get; init; }

    /// <summary>Only runs carrying every one of these tags.</summary>
    public IReadOnlyList<Client.RunTag>? Tags { get; init; }

    /// <summary>Only runs with a failed step of this name.</summary>
    public string? FailedStep { get; init; }

    /// <summary>Only runs that failed with this exception type (its full name, as recorded).</summary>
    public string? ErrorType { get; init; }
}
