using FlowDashboard.States;

namespace FlowDashboard.Client;

/// <summary>A read-only snapshot of one attempt at a step.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="Status">Its outcome.</param>
/// <param name="ScheduledAt">When it became due (the gap to <paramref name="StartedAt"/> is time spent waiting for a worker).</param>
/// <param name="StartedAt">When it began executing.</param>
/// <param name="EndedAt">When it ended, if it did.</param>
/// <param name="Error">The error message of a failed attempt; null in a timeline, which does not read it.</param>
/// <param name="ErrorType">The full name of the exception type; null in a timeline.</param>
/// <param name="StackTrace">The exception's stack trace; null in a timeline.</param>
public sealed record AttemptInfo(
    int Number,
    AttemptStatus Status,
    DateTimeOffset ScheduledAt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    string? ErrorType,
    string? StackTrace);
