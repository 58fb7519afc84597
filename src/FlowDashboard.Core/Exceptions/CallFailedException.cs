namespace FlowDashboard.Exceptions;

/// <summary>An HTTP call a step made failed for good: its retries are spent, or the workflow refused every response.</summary>
/// <param name="message">What the last attempt ended with.</param>
public sealed class CallFailedException(string message) : FlowDashboardException(message);
