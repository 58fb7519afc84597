namespace FlowDashboard.Client;

/// <summary>A wait that an event's payload did not fit: the run goes on waiting.</summary>
/// <param name="RunId">The waiting run.</param>
/// <param name="Step">Its waiting step.</param>
/// <param name="Errors">Why, keyed by member path (an empty key for the payload as a whole).</param>
public sealed record NotifyRefusal(string RunId, string Step, IReadOnlyDictionary<string, string[]> Errors);
