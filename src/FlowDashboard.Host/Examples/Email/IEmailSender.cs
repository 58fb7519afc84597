namespace FlowDashboard.Host.Examples.Email;

/// <summary>Sends email for the examples. Register your own implementation to send real mail.</summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>.</summary>
    /// <param name="message">What to send.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
