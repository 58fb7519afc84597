namespace FlowDashboard.Client;

/// <summary>What a notify did.</summary>
/// <param name="Woken">The runs whose waits received the event.</param>
/// <param name="Kept">True when the event named a run that did not wait for it yet, and is kept for its next wait.</param>
/// <param name="Refused">The waits the payload did not fit (only when no run was named: a named run's refusal is an error).</param>
public sealed record NotifyResult(IReadOnlyList<string> Woken, bool Kept, IReadOnlyList<NotifyRefusal> Refused);
