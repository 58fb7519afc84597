using FlowDashboard.States;

namespace FlowDashboard.Authoring;

/// <summary>How a child run ended.</summary>
/// <typeparam name="T">The child workflow's output type.</typeparam>
/// <param name="RunId">The child run's id.</param>
/// <param name="Status">Completed, Failed or Cancelled.</param>
/// <param name="Output">The child's output when it completed.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record ChildRunResult<T>(string RunId, RunStatus Status, T? Output, string? Error)
{
    /// <summary>True when the child completed.</summary>
    public bool Succeeded => Status == RunStatus.Completed;
}
