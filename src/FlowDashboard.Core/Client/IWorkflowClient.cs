using System.Text.Json;

namespace FlowDashboard.Client;

/// <summary>Triggers, inspects and cancels runs from code; the HTTP API calls the same methods.</summary>
public interface IWorkflowClient
{
    /// <summary>
    /// Starts a run of <paramref name="workflow"/>. The run is recorded before this returns; with a
    /// caller-chosen <see cref="TriggerOptions.RunId"/> a second trigger returns the existing run and starts nothing.
    /// </summary>
    /// <exception cref="Exceptions.WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="Exceptions.InvalidWorkflowInputException">The input does not bind or fails validation.</exception>
    /// <exception cref="Exceptions.RunConflictException">The run id belongs to a run of another workflow.</exception>
    Task<TriggerResult> TriggerAsync<TInput>(string workflow, TInput input, TriggerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a run from JSON input, bound to the workflow's input type (the HTTP API's path).</summary>
    /// <inheritdoc cref="TriggerAsync{TInput}" path="/exception"/>
    Task<TriggerResult> TriggerAsync(string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts many runs of one workflow, all or none: every item's run id and input is checked before any run is
    /// recorded, and all of them are recorded in one commit. An item whose run id exists already (for this workflow)
    /// starts nothing and returns that run, as a single trigger does.
    /// </summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="items">The runs, in order; their results come back in the same order.</param>
    /// <param name="options">Delay and source for every run; its <see cref="TriggerOptions.RunId"/> must be null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Exceptions.WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="Exceptions.InvalidWorkflowInputException">An item's input or run id is not valid; the errors name it (<c>[2].input.email</c>, <c>[3].runId</c>).</exception>
    /// <exception cref="Exceptions.RunConflictException">An item's run id belongs to a run of another workflow.</exception>
    Task<IReadOnlyList<TriggerResult>> TriggerBatchAsync(
        string workflow, IReadOnlyList<BatchItem> items, TriggerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The run with its steps and their attempts, or null if there is none with that id.</summary>
    Task<RunInfo?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a run that is not final: it becomes <c>Cancelled</c> at once, its unfinished step is
    /// cancelled, and a step executing now is told through its cancellation token. Its result, if any, is discarded.
    /// </summary>
    /// <exception cref="Exceptions.RunNotFoundException">No such run.</exception>
    /// <exception cref="Exceptions.RunConflictException">The run is already final.</exception>
    Task CancelAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Notifies an event: every step waiting for <paramref name="eventId"/> receives <paramref name="payload"/> and its
    /// run goes on. With <paramref name="runId"/>, only that run's wait receives it, and if that run does not wait for
    /// it yet, it is kept until it does (an event never gets lost by coming first).
    /// </summary>
    /// <exception cref="Exceptions.RunNotFoundException">The named run does not exist.</exception>
    /// <exception cref="Exceptions.RunConflictException">The named run is final.</exception>
    Task<NotifyResult> NotifyAsync(string eventId, object? payload = null, string? runId = null, CancellationToken cancellationToken = default);
}
