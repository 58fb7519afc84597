using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Engine;
using FlowDashboard.Telemetry;
using FlowDashboard.Transitions;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Execution;

/// <summary>
/// The Hangfire job that makes a step's HTTP call outside its workflow's execution, so a slow endpoint holds
/// no run. Each attempt is taken with a compare-and-swap, carries an <c>Idempotency-Key</c> of the run and
/// step, and is recorded; the response (or the final failure) wakes the run, whose body then goes on.
/// </summary>
internal sealed class CallJob(CallTransitions calls, JobDispatcher jobs, IHttpClientFactory http, TimeProvider time, ILogger<CallJob> logger)
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client calls are made with; configure it for proxies or handlers.</summary>
    public const string ClientName = "FlowDashboard.Calls";

    /// <summary>Makes the call's next attempt, if it is due and no other job made it; a job that came early is scheduled again.</summary>
    /// <param name="stepId">The call's step.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    [AutomaticRetry(Attempts = 0, LogEvents = false)] // The call's own retry policy is the only retry authority.
    [DisplayName("Call for step {0}")]
    public async Task ExecuteAsync(long stepId, CancellationToken cancellationToken)
    {
        var step = await calls.FindWaitingCallAsync(stepId, cancellationToken);
        if (step?.Input is null) return;
        if (step.NextAttemptAt is { } due && due > time.GetUtcNow().UtcDateTime)
        {
            // Hangfire scores delayed jobs in whole seconds, so a retry's job can start up to a second early
            // (HangfireIO/Hangfire#2540): give it a new one rather than drop the retry until the reconciler notices.
            jobs.ScheduleCall(step.Id, due);
            return;
        }

        var request = JsonSerializer.Deserialize<CallRequest>(step.Input, FlowJson.Data)!;
        if (!await calls.BeginCallAttemptAsync(step, step.NextAttemptAt ?? step.StartedAt, request.InFlightLimit(), cancellationToken)) return;

        // The attempt's span, in the run's trace: the request carries it as its traceparent.
        var parent = FlowTelemetry.Source.HasListeners() ? FlowTelemetry.ParentOf(await calls.TraceParentOfAsync(step.RunId, cancellationToken)) : default;
        using var activity = FlowTelemetry.Source.StartActivity($"call {step.Name}", ActivityKind.Client, parent);
        activity?.SetTag(FlowTelemetry.RunIdAttribute, step.RunId);
        activity?.SetTag(FlowTelemetry.StepAttribute, step.Name);
        activity?.SetTag(FlowTelemetry.AttemptAttribute, step.AttemptCount);
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("url.full", request.Url);
        string? payload = null;
        try
        {
            payload = await SendAsync(request, $"{step.RunId}:{step.Name}", cancellationToken);
            activity?.SetTag(FlowTelemetry.OutcomeAttribute, "completed");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var policy = request.Policy;
            var attempts = step.AttemptCount - step.RetryBase;
            FlowTelemetry.Failed(activity, ex, attempts > policy.Retries ? "failed" : "retrying");
            if (attempts > policy.Retries)
            {
                logger.LogWarning(ex, "The call of step {Step} of run {RunId} failed for good after {Attempts} attempt(s)", step.Name, step.RunId, step.AttemptCount);
                var failed = JsonSerializer.Serialize(new { failed = true, error = ex.Message }, FlowJson.Data);
                if (await calls.RecordCallOutcomeAsync(step, failed, ex.Message, ex.GetType().FullName, CancellationToken.None)) jobs.Enqueue(step.RunId);
                return;
            }

            var next = time.GetUtcNow().UtcDateTime + policy.DelayBefore(attempts, Random.Shared.NextDouble());
            logger.LogDebug("The call of step {Step} of run {RunId} failed (attempt {Attempt}); retrying at {NextAttemptAt:O}: {Error}", step.Name, step.RunId, step.AttemptCount, next, ex.Message);
            await calls.ScheduleCallRetryAsync(step, ex, next, CancellationToken.None);
            jobs.ScheduleCall(step.Id, next);
            return;
        }

        if (await calls.RecordCallOutcomeAsync(step, payload, null, null, CancellationToken.None)) jobs.Enqueue(step.RunId);
    }

    private async Task<string> SendAsync(CallRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(request.TimeoutMs));
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is { } body) message.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        var client = http.CreateClient(ClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The call to {request.Url} did not answer within {TimeSpan.FromMilliseconds(request.TimeoutMs)}.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (request.FailOnNonSuccess && !response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{request.Method} {request.Url} answered {status} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            var headers = Flatten(response.Headers).Concat(Flatten(response.Content.Headers))
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
            return JsonSerializer.Serialize(new CallResponse<string>(status, headers, text), FlowJson.Data);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Flatten(HttpHeaders headers) =>
        headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)));
}
