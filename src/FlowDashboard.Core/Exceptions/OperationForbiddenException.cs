namespace FlowDashboard.Exceptions;

/// <summary>The caller may not perform an operator action: the operate policy refused them, or the console is read-only.</summary>
/// <param name="message">Why, in words the operator sees.</param>
public sealed class OperationForbiddenException(string message) : FlowDashboardException(message);
