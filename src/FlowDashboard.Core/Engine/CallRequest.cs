using System.Text.Json;
using FlowDashboard.Authoring;

namespace FlowDashboard.Engine;

/// <summary>An HTTP call as recorded on its step, for the call job to make (and make again on retries).</summary>
internal sealed record CallRequest(
    string Method,
    string Url,
    Dictionary<string, string> Headers,
    JsonElement? Body,
    long TimeoutMs,
    bool FailOnNonSuccess,
    int Retries,
    long InitialDelayMs,
    double BackoffFactor,
    long MaxDelayMs,
    double Jitter)
{
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(24);

    /// <summary>Time for a job that got its response (or gave up) to record it, beyond the call's own timeout.</summary>
    private static readonly TimeSpan RecordingGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an attempt counts as in flight: its timeout, and time to record what it got. Another job (a second
    /// delivery, another node's reconciler) leaves an attempt alone until then; one still running after it was
    /// made by a process that is gone.
    /// </summary>
    public TimeSpan InFlightLimit() => TimeSpan.FromMilliseconds(TimeoutMs) + RecordingGrace;

    public RetryPolicy Policy => new()
    {
        Retries = Retries,
        InitialDelay = TimeSpan.FromMilliseconds(InitialDelayMs),
        BackoffFactor = BackoffFactor,
        MaxDelay = TimeSpan.FromMilliseconds(MaxDelayMs),
        Jitter = Jitter,
    };

    public static CallRequest Create(HttpMethod method, string url, object? body, CallOptions options, RetryPolicy fallback)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The call's URL '{url}' is not an absolute http or https URL.", nameof(url));
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > LongestTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "A call's timeout must be more than zero and at most 24 hours.");
        }

        var retry = options.Retry ?? fallback;
        return new CallRequest(
            method.Method,
            uri.ToString(),
            new Dictionary<string, string>(options.Headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
            body is null ? null : JsonSerializer.SerializeToElement(body, FlowJson.Data),
            (long)options.Timeout.TotalMilliseconds,
            options.FailOnNonSuccess,
            retry.Retries,
            (long)retry.InitialDelay.TotalMilliseconds,
            retry.BackoffFactor,
            (long)retry.MaxDelay.TotalMilliseconds,
            retry.Jitter);
    }
}
