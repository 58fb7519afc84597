using FlowDashboard.Authoring;
using FlowDashboard.Client;

namespace FlowDashboard.Engine;

/// <summary>The context a body of input type <typeparamref name="TInput"/> is given.</summary>
internal sealed class WorkflowExecution<TInput>(ExecutionSetup setup, TInput input, Func<IWorkflowContext<TInput>, Task<string?>> body)
    : WorkflowExecution(setup), IWorkflowContext<TInput>
{
    public TInput Input { get; } = input;

    public Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> action, StepOptions? options = null) =>
        RunStepAsync(name, action, options);

    public Task RunAsync(string name, Func<CancellationToken, Task> action, StepOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunStepAsync<object?>(name, async ct =>
        {
            await action(ct);
            return null;
        }, options);
    }

    public Task SleepAsync(string name, TimeSpan duration) => SleepStepAsync(name, now => now + duration);

    public Task SleepUntilAsync(string name, DateTimeOffset until) => SleepStepAsync(name, _ => until.UtcDateTime);

    public Task<EventResult<T>> WaitForEventAsync<T>(string name, string eventId, TimeSpan timeout) => WaitStepAsync<T>(name, eventId, timeout);

    public Task<CallResponse<string>> CallAsync(string name, HttpMethod method, string url, object? body = null, CallOptions? options = null) =>
        CallStepAsync<string>(name, method, url, body, options);

    public Task<CallResponse<T>> CallAsync<T>(string name, HttpMethod method, string url, object? body = null, CallOptions? options = null) =>
        CallStepAsync<T>(name, method, url, body, options);

    public Task<ChildRunResult<TOutput>> InvokeAsync<TOutput>(string name, string workflow, object? input) => InvokeStepAsync<TOutput>(name, workflow, input);

    public void Tag(string key, string value)
    {
        var tag = new RunTag(key, value);
        if (tag.Problem() is { } problem) throw new ArgumentException(problem, nameof(key));
        Setup.Execution.Tag(Lease, tag);
    }

    public Task CancelAsync() => CancelRunAsync();

    protected override Task<string?> StartBody() => body(this);
}
