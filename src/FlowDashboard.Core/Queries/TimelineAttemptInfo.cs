using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>One bar of the timeline: when an attempt became due, started and ended.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="Status">Its outcome.</param>
/// <param name="ScheduledAt">When it became due: the time until <paramref name="StartedAt"/> it waited for a worker.</param>
/// <param name="StartedAt">When it began executing.</param>
/// <param name="EndedAt">When it ended; null while it runs.</param>
public sealed record TimelineAttemptInfo(
    int Number,
    AttemptStatus Status,
    DateTimeOffset ScheduledAt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt);
