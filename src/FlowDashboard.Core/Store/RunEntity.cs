using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>A run's row. Written only through the transitions (<see cref="Transitions.RunWriter"/>).</summary>
internal sealed class RunEntity
{
    public required string Id { get; set; }
    public required string Workflow { get; set; }
    public RunStatus Status { get; set; }
    public required RunSource Source { get; set; }

    /// <summary>What the source refers to: the original run of a restart, later a schedule or a parent run.</summary>
    public string? SourceRef { get; set; }

    /// <summary>For a run started by a schedule: the fire time it stands for.</summary>
    public DateTime? ScheduledFor { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    public string? ErrorType { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? StartedAt { get; set; }

    /// <summary>
    /// When an operator last resumed the run or retried one of its steps: the workflow's timeout counts from here
    /// instead of <see cref="StartedAt"/>, so a resumed run gets the whole of it again.
    /// </summary>
    public DateTime? ResumedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>When the run must next execute; null when nothing is left to do.</summary>
    public DateTime? DueAt { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>
    /// Bumped by every lease change, taking or giving it up: the compare-and-swap that takes a lease is on this, so a
    /// node that read the run before another's execution ended (and released it) cannot take it on that old read.
    /// </summary>
    public long Version { get; set; }

    /// <summary>How often the run has failed for good: each failure gets its own failure-handler step.</summary>
    public int FailureCount { get; set; }

    /// <summary>Set when something arrived for a step (an event, a response, a child's end) while the run was executing:
    /// its suspension then makes it due at once instead of at its own time.</summary>
    public bool WakePending { get; set; }

    /// <summary>The flow-control key of the run (its workflow's key function applied to its input), if the workflow has one.</summary>
    public string? ConcurrencyKey { get; set; }

    /// <summary>For a workflow that starts one run per key at a time: the key, while the run is not final (unique).</summary>
    public string? SingletonKey { get; set; }

    /// <summary>When flow control last held the run back (too many in flight, or too many step starts): the console shows it throttled.</summary>
    public DateTime? ThrottledUntil { get; set; }

    /// <summary>
    /// Held by a paused workflow (or key): the run was due, but is not due any more until the pause is resumed, which
    /// makes it due at once. Cleared by that resume.
    /// </summary>
    public bool Held { get; set; }

    /// <summary>
    /// When a reconciler's pass last gave the run a job because its own was lost: passes on any node leave the run
    /// alone for one interval after, so it gets one job, not one per node.
    /// </summary>
    public DateTime? ReconciledAt { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that started the run: each execution of the run is a child of it, so
    /// the run's whole life is one trace with the request or schedule that triggered it.
    /// </summary>
    public string? TraceParent { get; set; }

    public List<StepEntity> Steps { get; set; } = [];

    public List<RunTagEntity> Tags { get; set; } = [];
}
