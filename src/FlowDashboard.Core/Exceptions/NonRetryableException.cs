namespace FlowDashboard.Exceptions;

/// <summary>
/// Thrown from a step to fail it at once, without the retries its policy would allow: for errors that
/// another attempt cannot fix, such as invalid input or an order larger than the stock.
/// </summary>
/// <param name="message">Why the step cannot succeed.</param>
/// <param name="innerException">The cause, if any.</param>
public sealed class NonRetryableException(string message, Exception? innerException = null)
    : FlowDashboardException(message, innerException);
