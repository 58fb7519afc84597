using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;

namespace FlowDashboard.Operations;

/// <summary>
/// Every operator action, used alike by the console, the HTTP API and tests. Each checks the operate policy
/// (and read-only mode) itself, so hiding a button is never the only guard, and is written to the audit log.
/// </summary>
public interface IOperationsService
{
    /// <summary>True when the console shows no operator actions and this service refuses them.</summary>
    bool IsReadOnly { get; }

    /// <summary>Whether <paramref name="user"/> may perform operator actions.</summary>
    Task<bool> CanOperateAsync(ClaimsPrincipal user);

    /// <summary>Starts a run from JSON input, recording <paramref name="user"/> as who started it.</summary>
    /// <param name="user">Who acts.</param>
    /// <param name="workflow">The workflow.</param>
    /// <param name="input">Its input as JSON.</param>
    /// <param name="options">Run id and delay; the source is set from where the call comes (<c>console</c>, <c>api</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TriggerResult> TriggerAsync(ClaimsPrincipal user, string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Starts many runs of one workflow, all or none (see <see cref="IWorkflowClient.TriggerBatchAsync"/>), recording <paramref name="user"/> as who started them.</summary>
    /// <param name="user">Who acts.</param>
    /// <param name="workflow">The workflow.</param>
    /// <param name="items">Each run's id (optional) and input.</param>
    /// <param name="options">Delay; the source is set from where the call comes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<TriggerResult>> TriggerBatchAsync(
        ClaimsPrincipal user, string workflow, IReadOnlyList<BatchItem> items, TriggerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Notifies an event (see <see cref="IWorkflowClient.NotifyAsync"/>) on behalf of <paramref name="user"/>.</summary>
    Task<NotifyResult> NotifyAsync(ClaimsPrincipal user, string eventId, JsonElement payload, string? runId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a failed step back to pending and the run going; every finished step stays memoized.</summary>
    Task RetryStepAsync(ClaimsPrincipal user, string runId, string step, CancellationToken cancellationToken = default);

    /// <summary>Continues a failed run from its failing step (or replays its body when it failed outside any step).</summary>
    Task ResumeAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default);

    /// <summary>Starts a new run of the same workflow with the same input; returns its id.</summary>
    Task<string> RestartAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a new run of a finished (completed, failed or cancelled) run's workflow that reuses the recorded results of
    /// every step before <paramref name="fromStep"/> and runs on from it, with <paramref name="input"/> (bound and validated
    /// as any trigger's; null for the original's). The new run's source is <c>rerun</c>, naming the original, and carries
    /// its tags; a replay that asks for other steps before <paramref name="fromStep"/> (the input changed the path) fails it
    /// as not deterministic. Audited on both runs.
    /// </summary>
    /// <returns>The new run's id.</returns>
    /// <exception cref="Exceptions.RunNotFoundException">No such run.</exception>
    /// <exception cref="Exceptions.StepNotFoundException">No such step in it.</exception>
    /// <exception cref="Exceptions.RunConflictException">The run is not finished, or the step is its failure handler.</exception>
    /// <exception cref="Exceptions.InvalidWorkflowInputException">The input does not bind or fails validation.</exception>
    Task<string> RerunAsync(ClaimsPrincipal user, string runId, string fromStep, JsonElement? input = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a run that is not final.</summary>
    Task CancelAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a final run with its steps; the audit log keeps the deletion.</summary>
    Task DeleteAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts <paramref name="action"/> on every selected run in the background and returns at once; runs in
    /// a state that does not allow the action are skipped. Poll <see cref="GetBulkAsync"/> for progress (on any node).
    /// </summary>
    Task<BulkOperationInfo> StartBulkAsync(ClaimsPrincipal user, BulkAction action, RunSelection selection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pauses a workflow, or only its runs of one flow-control <paramref name="key"/>: new runs are recorded but do not
    /// start, running ones stop at their next step boundary, sleeping ones do not wake, until it is resumed. Audited.
    /// </summary>
    /// <returns>False when it was paused already.</returns>
    /// <exception cref="Exceptions.WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="ArgumentException">A key for a workflow without a flow-control key, or a key that is not valid.</exception>
    Task<bool> PauseWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused workflow (or key): the runs it held go on at once. Audited.</summary>
    /// <returns>How many held runs go on.</returns>
    /// <exception cref="Exceptions.WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="Exceptions.WorkflowNotPausedException">It is not paused.</exception>
    Task<int> ResumeWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default);

    /// <summary>A bulk operation's progress, or null for an unknown id; read from the store, so any node answers.</summary>
    Task<BulkOperationInfo?> GetBulkAsync(string id, CancellationToken cancellationToken = default);
}
