namespace FlowDashboard.Authoring;

/// <summary>How the engine makes an HTTP call for a step.</summary>
/// <remarks>
/// Defaults: a 30-second timeout (up to 24 hours), the workflow's retry policy, and a non-2xx response
/// returned rather than failed. Every request carries an <c>Idempotency-Key</c> header of the run and step.
/// </remarks>
public sealed record CallOptions
{
    /// <summary>The request headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>How long one attempt may take, up to 24 hours; the call runs in its own job, so a long one holds no workflow.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of failed attempts (network errors, timeouts, and failing responses); the workflow's when null.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>When true, a response that is not 2xx fails the attempt, so it is retried.</summary>
    public bool FailOnNonSuccess { get; init; }

    /// <summary>
    /// Decides whether a response fails the attempt (and is retried), for rules beyond the status, such as an
    /// error inside a 200 body. Runs in the workflow, on the recorded response.
    /// </summary>
    public Func<CallResponse<string>, bool>? FailWhen { get; init; }
}
