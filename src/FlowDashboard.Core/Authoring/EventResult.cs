namespace FlowDashboard.Authoring;

/// <summary>What a wait for an event ended with.</summary>
/// <typeparam name="T">The payload's type.</typeparam>
/// <param name="TimedOut">True when the timeout came before the event.</param>
/// <param name="Payload">The event's payload; default when it timed out.</param>
public sealed record EventResult<T>(bool TimedOut, T? Payload);
