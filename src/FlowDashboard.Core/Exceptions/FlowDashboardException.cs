namespace FlowDashboard.Exceptions;

/// <summary>The base of every exception FlowDashboard throws on purpose.</summary>
public abstract class FlowDashboardException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, in words an operator can act on.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected FlowDashboardException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
