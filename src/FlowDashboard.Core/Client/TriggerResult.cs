namespace FlowDashboard.Client;

/// <summary>The outcome of a trigger.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Created">False when a run with this id already existed and nothing was started.</param>
public sealed record TriggerResult(string RunId, bool Created);
