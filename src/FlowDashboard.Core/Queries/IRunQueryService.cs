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

    /// <summary>What a wait for an event expects: its payload type's name and shape, and a JSON example to start from.</summary>
    /// <param name="stepInput">The waiting step's <see cref="StepInfo.Input"/> as JSON text, as <see cref="GetStepAsync"/> reads it.</param>
    /// <returns>Null for a wait recorded without a type (by an older version) or with one this process no longer has: any payload is then accepted.</returns>
    EventPayloadInfo? DescribeEventPayload(string? stepInput);

    /// <summary>Checks a JSON payload against what a wait for an event expects, as strictly as a notify is bound, without sending anything.</summary>
    /// <param name="stepInput">The waiting step's <see cref="StepInfo.Input"/> as JSON text.</param>
    /// <param name="json">The payload.</param>
    /// <returns>The errors by member (empty when it fits, or when the wait recorded no type); the key <c>""</c> for the payload as a whole.</returns>
    IReadOnlyDictionary<string, string[]> ValidateEventPayload(string? stepInput, string json);

    /// <summary>One page of runs matching <paramref name="filter"/>, in <paramref name="order"/>, by keyset.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="cursor">The previous page's <see cref="RunPage.NextCursor"/>; null for the first page.</param>
    /// <param name="pageSize">Runs per page, 1 to 500.</param>
    /// <param name="order">Newest (the default) or oldest first; pass the same order with each page's cursor.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, RunOrder order = RunOrder.NewestFirst, CancellationToken cancellationToken = default);

    /// <summary>How many runs match <paramref name="filter"/>.</summary>
    Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken = default);

    /// <summary>How many runs are in each state (states with none are left out).</summary>
    Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completed and failed runs over the last <paramref name="window"/>, oldest first, one point per
    /// <paramref name="bucket"/> (a whole number of minutes; one minute when null).
    /// </summary>
    Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, TimeSpan? bucket = null, CancellationToken cancellationToken = default);

    /// <summary>Each workflow's runs since <paramref name="since"/>, with the backlog and the retries scheduled now.</summary>
    Task<OverviewStats> OverviewAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// The runs still failed that failed since <paramref name="since"/>, grouped by workflow, failed step and exception
    /// type, the largest group first. Reads at most the newest <paramref name="maxRuns"/> of them.
    /// </summary>
    Task<IReadOnlyList<FailureGroup>> FailureGroupsAsync(DateTimeOffset since, int maxRuns = 10_000, CancellationToken cancellationToken = default);

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

    /// <summary>The store's size on disk, how many runs it holds and when the oldest was created.</summary>
    Task<StoreInfo> StoreAsync(CancellationToken cancellationToken = default);

    /// <summary>The paused workflows (and flow-control keys), each with how many runs it holds.</summary>
    Task<IReadOnlyList<PauseInfo>> PausesAsync(CancellationToken cancellationToken = default);
}
