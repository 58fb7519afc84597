namespace FlowDashboard.Queries;

/// <summary>Failed runs that failed alike: of one workflow, at one step, with one exception type.</summary>
/// <param name="Workflow">The workflow.</param>
/// <param name="Step">The step that failed; null when the run failed outside a step (its body threw, a replay was not deterministic).</param>
/// <param name="ErrorType">The exception type's full name; null when none was recorded.</param>
/// <param name="Count">How many runs.</param>
/// <param name="FirstSeen">When the first of them failed.</param>
/// <param name="LastSeen">When the last of them failed.</param>
/// <param name="SampleError">The error of the last of them.</param>
/// <param name="LatestRunId">The last of them.</param>
public sealed record FailureGroup(
    string Workflow, string? Step, string? ErrorType, int Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? SampleError, string LatestRunId)
{
    /// <summary>The exception type's name without its namespace.</summary>
    public string? ErrorTypeName => ErrorType?[(ErrorType.LastIndexOf('.') + 1)..];

    /// <summary>The runs of the group, as a filter for the runs list and bulk actions (those that failed since its first).</summary>
    public RunFilter Filter => new()
    {
        EndedFrom = FirstSeen,
        Workflow = Workflow,
        Statuses = [States.RunStatus.Failed],
        FailedStep = Step,
        ErrorType = ErrorType,
    };
}
