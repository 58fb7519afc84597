using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>What the timeline says of its steps beyond their bars: which match a search or filter, how long each took, where the first failure is.</summary>
internal static class TimelineSteps
{
    /// <summary>The steps whose name contains <paramref name="search"/> (ignoring case) and that pass <paramref name="filter"/>, in order.</summary>
    public static List<StepInfo> Filter(IEnumerable<StepInfo> steps, string? search, TimelineFilter filter) =>
        [.. steps.Where(s => Matches(s, search, filter))];

    /// <summary>Whether <paramref name="step"/> shows under <paramref name="search"/> and <paramref name="filter"/>.</summary>
    public static bool Matches(StepInfo step, string? search, TimelineFilter filter) =>
        (string.IsNullOrWhiteSpace(search) || step.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase))
        && filter switch
        {
            TimelineFilter.Failed => HasFailed(step),
            TimelineFilter.Retried => IsRetried(step),
            _ => true,
        };

    /// <summary>Whether the step failed for good or in any attempt.</summary>
    public static bool HasFailed(StepInfo step) =>
        step.Status == StepStatus.Failed || step.Attempts.Any(a => a.Status == AttemptStatus.Failed);

    /// <summary>Whether the step took more than one attempt.</summary>
    public static bool IsRetried(StepInfo step) => step.Attempts.Count > 1;

    /// <summary>The first step that failed for good, the workflow's own steps before its failure handler; null when none did.</summary>
    public static StepInfo? FirstFailure(IEnumerable<StepInfo> steps)
    {
        StepInfo? handler = null;
        foreach (var step in steps.Where(s => s.Status == StepStatus.Failed))
        {
            if (step.Kind != StepKind.FailureHandler) return step;
            handler ??= step;
        }

        return handler;
    }

    /// <summary>From the step's start to its end, or to <paramref name="now"/> while it is open.</summary>
    public static TimeSpan Duration(StepInfo step, DateTimeOffset now)
    {
        var end = step.CompletedAt ?? (step.Status.IsFinal() ? (step.Attempts.Count > 0 ? step.Attempts[^1].EndedAt : null) : null) ?? now;
        return end > step.StartedAt ? end - step.StartedAt : TimeSpan.Zero;
    }
}
