namespace FlowDashboard.Authoring;

/// <summary>How often and how soon a failed step is tried again.</summary>
/// <remarks>
/// Defaults: 3 retries after the first attempt; back-off 1 s, doubled per retry, capped at 10 minutes,
/// with ±20 % jitter so that runs failing together do not retry together. A
/// <see cref="FlowDashboard.Exceptions.NonRetryableException"/> is never retried.
/// </remarks>
public sealed record RetryPolicy
{
    /// <summary>The default policy: 3 retries, exponential back-off from 1 s, capped at 10 min, ±20 % jitter.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>A policy that never retries.</summary>
    public static RetryPolicy None { get; } = new() { Retries = 0 };

    /// <summary>How many times a failed attempt is retried (so at most <c>Retries + 1</c> attempts).</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>What each further delay is multiplied by.</summary>
    public double BackoffFactor { get; init; } = 2;

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The random spread of each delay, as a fraction of it (0 to 1).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    /// <param name="retry">The retry's number, from 1.</param>
    /// <param name="random">A number in [0, 1) that places the delay within the jitter.</param>
    public TimeSpan DelayBefore(int retry, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponential = InitialDelay.TotalMilliseconds * Math.Pow(BackoffFactor, retry - 1);
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        var jittered = capped * (1 + (Jitter * ((2 * random) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }
}
