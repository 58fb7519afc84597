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
}
