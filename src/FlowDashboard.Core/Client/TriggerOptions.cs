namespace FlowDashboard.Client;

/// <summary>How a run is started.</summary>
/// <remarks>Defaults: a generated run id, no delay, source <see cref="RunSource.Code"/>.</remarks>
public sealed record TriggerOptions
{
    /// <summary>
    /// The run's id, chosen by the caller to make the trigger idempotent: up to 100 letters, digits and
    /// <c>- _ . :</c>. Null for a generated id.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>How long to wait before the first step; null or zero for at once.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>
    /// Tags the run carries from its start (such as <c>customer</c> = <c>42</c>): see <see cref="RunTag"/> for what
    /// a key and a value may be. A schedule's tags and, for a child run, its parent's come on top.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Who or what started the run, recorded on it (<see cref="RunSource.Code"/> by default).</summary>
    public RunSource Source { get; init; } = RunSource.Code;

    /// <summary>What <see cref="Source"/> refers to (the original run of a restart); set by FlowDashboard itself.</summary>
    internal string? SourceRef { get; init; }

    /// <summary>For a run a schedule starts: the fire time it stands for.</summary>
    internal DateTime? ScheduledFor { get; init; }

    /// <summary>The operator action that starts the run, written to the audit log in the same commit.</summary>
    internal Engine.AuditRecord? Audit { get; init; }
}
