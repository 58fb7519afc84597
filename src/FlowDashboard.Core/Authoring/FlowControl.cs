namespace FlowDashboard.Authoring;

/// <summary>
/// Limits on how much of a workflow runs at once, for the whole workflow or per key (a member of the input).
/// Work over a limit waits its turn; it is never rejected. The console shows such runs as throttled.
/// </summary>
/// <remarks>Defaults: no limits, no key; a rate period of one minute.</remarks>
public sealed record FlowControl
{
    /// <summary>
    /// The top-level member of the input whose value is the key (such as <c>customerId</c>): limits then hold per
    /// value. Null for one key for the whole workflow.
    /// </summary>
    public string? KeyMember { get; init; }

    /// <summary>At most this many runs execute at once (per key); others wait until one suspends or ends.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>At most this many steps start per <see cref="RatePeriod"/> (per key); further steps wait for the next period.</summary>
    public int? RateLimit { get; init; }

    /// <summary>The period <see cref="RateLimit"/> counts over.</summary>
    public TimeSpan RatePeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When true, a trigger whose key has a run that is not final starts nothing and returns that run's id instead
    /// (one run per key at a time, such as one sync per customer).
    /// </summary>
    public bool SkipIfActive { get; init; }
}
