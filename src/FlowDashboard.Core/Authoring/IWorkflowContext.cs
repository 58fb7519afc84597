namespace FlowDashboard.Authoring;

/// <summary>
/// What a workflow body sees while it runs: its input, its run id, and the durable steps it is made of.
/// </summary>
/// <remarks>
/// The body is replayed from the top each time the run resumes. A step whose result is recorded returns
/// that result without running again, so everything with a side effect belongs inside a step, and the
/// sequence of step names must be the same on every replay. A name used more than once (in a loop) gets
/// a stable occurrence suffix: <c>charge</c>, <c>charge#2</c>, <c>charge#3</c>.
/// </remarks>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
public interface IWorkflowContext<out TInput>
{
    /// <summary>The input the run was triggered with.</summary>
    TInput Input { get; }

    /// <summary>The run's id: stable across replays, unique per run.</summary>
    string RunId { get; }

    /// <summary>The registered name of the workflow.</summary>
    string Workflow { get; }

    /// <summary>
    /// Runs <paramref name="action"/> as a durable step and returns its result, which is recorded
    /// (serialized with System.Text.Json) before the body goes on.
    /// </summary>
    /// <param name="name">The step's name, unique within the run unless repeated in a loop.</param>
    /// <param name="action">The step's work; the token is cancelled on timeout, shutdown or cancellation of the run.</param>
    /// <param name="options">Retries and timeout for this step; the workflow's retry policy when null.</param>
    Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> action, StepOptions? options = null);

    /// <summary>Runs <paramref name="action"/> as a durable step that returns no result.</summary>
    /// <param name="name">The step's name, unique within the run unless repeated in a loop.</param>
    /// <param name="action">The step's work; the token is cancelled on timeout, shutdown or cancellation of the run.</param>
    /// <param name="options">Retries and timeout for this step; the workflow's retry policy when null.</param>
    Task RunAsync(string name, Func<CancellationToken, Task> action, StepOptions? options = null);

    /// <summary>
    /// Suspends the run for <paramref name="duration"/> without holding a thread; the wake-up time is
    /// recorded, so a restart does not lengthen the sleep.
    /// </summary>
    /// <param name="name">The step's name.</param>
    /// <param name="duration">How long to sleep; zero or less does not suspend.</param>
    Task SleepAsync(string name, TimeSpan duration);

    /// <summary>Suspends the run until <paramref name="until"/>.</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="until">When to wake up; a time in the past does not suspend.</param>
    Task SleepUntilAsync(string name, DateTimeOffset until);

    /// <summary>
    /// Suspends the run until an event with <paramref name="eventId"/> is notified (<c>IWorkflowClient.NotifyAsync</c>,
    /// <c>POST /flows/api/events/{eventId}</c>) or <paramref name="timeout"/> passes. A notify that names this run and
    /// comes before the wait is kept for it.
    /// </summary>
    /// <typeparam name="T">The payload's type.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="eventId">The event to wait for.</param>
    /// <param name="timeout">How long to wait at most.</param>
    Task<EventResult<T>> WaitForEventAsync<T>(string name, string eventId, TimeSpan timeout);

    /// <summary>
    /// Has the engine make an HTTP request in a job of its own, outside this body, and records the response;
    /// the body goes on when it arrives. The response body is returned as text.
    /// </summary>
    /// <param name="name">The step's name.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="body">The request body, sent as JSON; null for none.</param>
    /// <param name="options">Headers, timeout, retries, and what counts as a failure.</param>
    Task<CallResponse<string>> CallAsync(string name, HttpMethod method, string url, object? body = null, CallOptions? options = null);

    /// <summary>Makes an HTTP call as <see cref="CallAsync(string, HttpMethod, string, object?, CallOptions?)"/> does and reads a successful JSON body as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The response body's type.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="body">The request body, sent as JSON; null for none.</param>
    /// <param name="options">Headers, timeout, retries, and what counts as a failure.</param>
    Task<CallResponse<T>> CallAsync<T>(string name, HttpMethod method, string url, object? body = null, CallOptions? options = null);

    /// <summary>Starts a run of another workflow as a child of this one and waits until it completes, fails or is cancelled.</summary>
    /// <typeparam name="TOutput">The child workflow's output type.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="workflow">The child workflow's name.</param>
    /// <param name="input">The child's input, bound to its input type like any trigger's.</param>
    Task<ChildRunResult<TOutput>> InvokeAsync<TOutput>(string name, string workflow, object? input);

    /// <summary>
    /// Tags the run with <paramref name="key"/> = <paramref name="value"/> (replacing the key's value if it has one), so
    /// the runs list can filter by it. Callable from the body or from a step's code; the tag is recorded with the run's
    /// next record, and setting it again on a replay changes nothing. At most <see cref="Client.RunTag.MaxPerRun"/> tags:
    /// past that a new key is left out, with a warning in the log.
    /// </summary>
    /// <param name="key">1 to 64 letters, digits and <c>- _ . :</c>.</param>
    /// <param name="value">1 to 200 characters, without control characters.</param>
    /// <exception cref="ArgumentException">The key or the value is not valid.</exception>
    void Tag(string key, string value);

    /// <summary>Cancels this run: it ends as <c>Cancelled</c> at once (the failure handler does not run) and the body goes no further.</summary>
    Task CancelAsync();
}
