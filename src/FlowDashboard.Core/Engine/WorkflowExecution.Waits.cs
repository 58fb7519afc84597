using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Transitions;

namespace FlowDashboard.Engine;

/// <summary>
/// The steps that wait for something outside the execution: an event, an HTTP call made by its own job, a
/// child run. Each suspends the run until what it waits for arrives (or its timeout passes), then turns
/// what arrived into its result in its place among the run's completions.
/// </summary>
internal abstract partial class WorkflowExecution
{
    private const int LongestEventId = 500;

    protected Task<EventResult<T>> WaitStepAsync<T>(string requestedName, string eventId, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        if (eventId.Length > LongestEventId) throw new ArgumentException($"An event id is at most {LongestEventId} characters.", nameof(eventId));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (!TryNextStep(requestedName, StepKind.WaitForEvent, out var name, out var sequence, out var step, out var group)) return Never<EventResult<T>>();

        var result = new TaskCompletionSource<EventResult<T>>();
        void Finish(StepEntity waiting) =>
            StartLive(sequence, operation =>
            {
                string output = "";
                return CompleteAsync(operation, async order => output = await Setup.Waits.CompleteWaitAsync(Lease, waiting, order, Lease.Shutdown),
                    () => result.SetResult(Deserialize<EventResult<T>>(output)));
            });

        switch (step)
        {
            case { Status: StepStatus.Completed }:
                return Replay(step, s => Deserialize<EventResult<T>>(s.Output));
            case null:
                var deadline = Now + timeout;
                StartLive(sequence, async operation =>
                {
                    await commitGate.WaitAsync(Lease.Shutdown);
                    try
                    {
                        // The wait takes a completion order in case an event kept for it completes it at once.
                        var waiting = await Setup.Waits.BeginWaitAsync(Lease, name, sequence, eventId, typeof(T), deadline, group, nextOrder++, Lease.Shutdown);
                        operation.Deliver(waiting.Status == StepStatus.Completed
                            ? () => result.SetResult(Deserialize<EventResult<T>>(waiting.Output))
                            : () => Suspend(deadline, RunStatus.Waiting, () => Finish(waiting), waiting.Id));
                    }
                    finally
                    {
                        commitGate.Release();
                    }
                });
                return result.Task;
            case { Status: StepStatus.Waiting } when step.Payload is not null || step.WakeAt <= Now:
                Finish(step);
                return result.Task;
            case { Status: StepStatus.Waiting }:
                Suspend(step.WakeAt, RunStatus.Waiting, () => Finish(step), step.Id);
                return result.Task;
            default:
                Fail(new Halt.StepFailed());
                return Never<EventResult<T>>();
        }
    }

    protected Task<CallResponse<T>> CallStepAsync<T>(string requestedName, HttpMethod method, string url, object? body, CallOptions? options)
    {
        ArgumentNullException.ThrowIfNull(method);
        options ??= new CallOptions();
        var request = CallRequest.Create(method, url, body, options, Setup.Definition.Options.Retry);
        if (!TryNextStep(requestedName, StepKind.Call, out var name, out var sequence, out var step, out var group)) return Never<CallResponse<T>>();

        var result = new TaskCompletionSource<CallResponse<T>>();
        switch (step)
        {
            case { Status: StepStatus.Completed }:
                return Replay(step, s => Typed<T>(ReadResponse(s.Output)));
            case null:
                StartLive(sequence, async operation =>
                {
                    var calling = await Setup.Waits.BeginExternalAsync(
                        Lease, name, sequence, StepKind.Call, request.Url, JsonSerializer.Serialize(request, FlowJson.Data), group, Lease.Shutdown);
                    Setup.Jobs.ScheduleCall(calling.Id);
                    operation.Deliver(() => Suspend(null, RunStatus.Waiting, () => FinishCall(calling, options, request, result), calling.Id));
                });
                return result.Task;
            case { Status: StepStatus.Waiting } when step.Payload is not null:
                FinishCall(step, options, request, result);
                return result.Task;
            case { Status: StepStatus.Waiting }:
                Suspend(null, RunStatus.Waiting, () => FinishCall(step, options, request, result), step.Id);
                return result.Task;
            default:
                Fail(new Halt.StepFailed());
                return Never<CallResponse<T>>();
        }
    }

    protected Task<ChildRunResult<TOutput>> InvokeStepAsync<TOutput>(string requestedName, string workflow, object? input)
    {
        // A child's input is checked where the body asks for it: a wrong one is the body's own error.
        var child = Setup.Registry.Get(workflow);
        var bound = child.BindInput(JsonSerializer.SerializeToElement(input, FlowJson.Data));
        if (!TryNextStep(requestedName, StepKind.Invoke, out var name, out var sequence, out var step, out var group)) return Never<ChildRunResult<TOutput>>();

        var result = new TaskCompletionSource<ChildRunResult<TOutput>>();
        void Finish(StepEntity invoking) =>
            StartLive(sequence, async operation =>
            {
                var arrived = await Setup.Waits.GetStepAsync(invoking.Id, Lease.Shutdown);
                var payload = arrived?.Payload ?? throw new LeaseLostException(RunId);
                await CompleteAsync(operation, order => Setup.Waits.CompleteFromPayloadAsync(Lease, invoking, payload, order, Lease.Shutdown),
                    () => result.SetResult(ChildResult<TOutput>(payload)));
            });

        switch (step)
        {
            case { Status: StepStatus.Completed }:
                return Replay(step, s => ChildResult<TOutput>(s.Output));
            case null:
                var childRunId = ChildRunId(name);
                StartLive(sequence, async operation =>
                {
                    var key = FlowKeys.KeyOf(child.Options.FlowControl, bound);
                    var invoking = await Setup.Waits.BeginInvokeAsync(Lease, name, sequence, group, childRunId, workflow, bound, key, Lease.Shutdown);
                    Setup.Jobs.Enqueue(childRunId);
                    operation.Deliver(() => Suspend(null, RunStatus.Waiting, () => Finish(invoking), invoking.Id));
                });
                return result.Task;
            case { Status: StepStatus.Waiting } when step.Payload is not null:
                Finish(step);
                return result.Task;
            case { Status: StepStatus.Waiting }:
                Suspend(null, RunStatus.Waiting, () => Finish(step), step.Id);
                return result.Task;
            default:
                Fail(new Halt.StepFailed());
                return Never<ChildRunResult<TOutput>>();
        }
    }

    protected Task CancelRunAsync()
    {
        StartLive(-1, async operation =>
        {
            Wake(await Setup.Operators.CancelAsync(RunId, new AuditRecord("workflow", "cancel", Detail: "the workflow cancelled its own run"), Lease.Shutdown));
            operation.Deliver(() => Fail(new Halt.Cancelled()));
        });
        return Never<bool>();
    }

    private void FinishCall<T>(StepEntity calling, CallOptions options, CallRequest request, TaskCompletionSource<CallResponse<T>> result) =>
        StartLive(calling.Sequence, async operation =>
        {
            var step = await Setup.Waits.GetStepAsync(calling.Id, Lease.Shutdown) ?? throw new LeaseLostException(RunId);
            var payload = step.Payload!;
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.TryGetProperty("failed", out _))
            {
                // The call job gave up (retries exhausted, or an error no retry fixes): the step fails for good.
                await FailStepAsync(step, new CallFailedException(step.Error ?? "The call failed."));
                operation.Deliver(() => Fail(new Halt.StepFailed()));
                return;
            }

            var response = ReadResponse(payload);
            if (options.FailWhen?.Invoke(response) == true)
            {
                var reason = $"The workflow refused the response (status {response.Status}).";
                var policy = request.Policy;
                var attempts = step.AttemptCount - step.RetryBase;
                if (attempts > policy.Retries)
                {
                    await FailStepAsync(step, new CallFailedException(reason));
                    operation.Deliver(() => Fail(new Halt.StepFailed()));
                    return;
                }

                var next = Now + policy.DelayBefore(attempts, Random.Shared.NextDouble());
                await Setup.Calls.RejectCallResponseAsync(Lease, step, reason, next, Lease.Shutdown);
                Setup.Jobs.ScheduleCall(step.Id, next);
                operation.Deliver(() => Suspend(null, RunStatus.Waiting, () => FinishCall(step, options, request, result), step.Id));
                return;
            }

            CallResponse<T> typed;
            try
            {
                typed = Typed<T>(response);
            }
            catch (JsonException ex)
            {
                await FailStepAsync(step, new NonRetryableException($"The response body is not a {typeof(T).Name}: {ex.Message}"));
                operation.Deliver(() => Fail(new Halt.StepFailed()));
                return;
            }

            await CompleteAsync(operation, order => Setup.Waits.CompleteFromPayloadAsync(Lease, step, payload, order, Lease.Shutdown), () => result.SetResult(typed));
        });

    /// <summary>A recorded response, its header names compared ignoring case as HTTP's are (JSON alone reads them back case-sensitive).</summary>
    private static CallResponse<string> ReadResponse(string? json)
    {
        var response = Deserialize<CallResponse<string>>(json);
        return response with { Headers = new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase) };
    }

    private static CallResponse<T> Typed<T>(CallResponse<string> response)
    {
        if (typeof(T) == typeof(string)) return (CallResponse<T>)(object)response;
        var body = response.IsSuccess && !string.IsNullOrWhiteSpace(response.Body) ? JsonSerializer.Deserialize<T>(response.Body, FlowJson.Data) : default;
        return new CallResponse<T>(response.Status, response.Headers, body);
    }

    private static ChildRunResult<TOutput> ChildResult<TOutput>(string? json)
    {
        var outcome = Deserialize<RunWakes.ChildOutcome>(json);
        var output = outcome.Output is { ValueKind: not JsonValueKind.Null } element ? element.Deserialize<TOutput>(FlowJson.Data) : default;
        return new ChildRunResult<TOutput>(outcome.RunId, outcome.Status, output, outcome.Error);
    }

    /// <summary>The child's run id: stable for the parent and step, so a repeated start finds the same child.</summary>
    private string ChildRunId(string step)
    {
        var id = $"{RunId}:{step}";
        if (id.Length <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')) return id;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];
        return $"{RunId[..Math.Min(RunId.Length, 80)]}:{hash}";
    }
}
