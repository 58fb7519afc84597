using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.Email;

/// <summary>
/// Writes each message as an RFC 822 <c>.eml</c> file into the outbox folder (no SMTP server exists here).
/// Every send makes a new file, so a step that runs twice leaves two files.
/// </summary>
public sealed class FileEmailSender(IOptions<ExamplesOptions> options, IHostEnvironment environment, TimeProvider time) : IEmailSender
{
    /// <inheritdoc />
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var outbox = Path.Combine(environment.ContentRootPath, options.Value.OutboxPath);
        Directory.CreateDirectory(outbox);
        var now = time.GetUtcNow();
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Date: {now:R}\r\n")
            .Append("From: FlowDashboard examples <examples@flowdashboard.local>\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: {message.To}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {message.Subject}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Message-ID: <{message.RunId}.{message.Step}@flowdashboard.local>\r\n")
            .Append(CultureInfo.InvariantCulture, $"X-Flow-Run: {message.RunId}\r\n")
            .Append(CultureInfo.InvariantCulture, $"X-Flow-Step: {message.Step}\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
            .Append(message.Body)
            .Append("\r\n")
            .ToString();

        // Written aside and renamed, so the outbox never shows half a message, even after a kill.
        var name = $"{now:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(outbox, name + ".tmp");
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, Path.Combine(outbox, name + ".eml"));
    }
}
