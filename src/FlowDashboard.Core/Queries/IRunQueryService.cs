using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>
/// Everything the console and the API read: lists, counts, timelines. Read-only, untracked queries on
/// indexes built for them; writes go through <see cref="Operations.IOperationsService"/>.
/// </summary>
public interface IRunQueryService
{
    /// <summary>The registered workflows, by name.</summary>
    IReadOnlyList<WorkflowInfo> Workflows();

    /// <summary>Checks JSON input against a workflow's input type without starting anything.</summary>
    /// <returns>The errors by member (empty when valid); the key <c>""</c> for the input as a whole.</returns>
    IReadOnlyDictionary<string, string[]> ValidateInput(string workflow, string json);

    /// <summary>One page of runs matching <paramref name="filter"/>, newest first, by keyset.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="cursor">The previous page's <see cref="RunPage.NextCursor"/>; null for the first page.</param>
    /// <param name="pageSize">Runs per page, 1 to 500.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>How many runs match <paramref name="filter"/>.</summary>
    Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken = default);

    /// <summary>How many runs are in each state (states with none are left out).</summary>
    Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Completed and failed runs per minute over the last <paramref name="window"/>, oldest first, one point per minute.</summary>
    Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>The newest runs that failed within <paramref name="within"/>.</summary>
    Task<IReadOnlyList<RunSummaryInfo>> RecentFailuresAsync(TimeSpan within, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run with every step and attempt time, for its timeline; null if there is no such run. To stay a small read it
    /// leaves step outputs, errors and inputs and attempt errors and stack traces null: <see cref="GetStepAsync"/> reads them.
    /// </summary>
    Task<RunInfo?> GetTimelineAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>One step with its output and every attempt's error and stack trace; null if there is no such step.</summary>
    Task<StepInfo?> GetStepAsync(string runId, string step, CancellationToken cancellationToken = default);

    /// <summary>The operator actions on a run, newest first.</summary>
    Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The Hangfire servers alive, by name.</summary>
    IReadOnlyList<ServerInfo> Servers();
}
