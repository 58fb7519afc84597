using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.Email;

/// <summary>
/// Writes each message as an RFC 822 <c>.eml</c> file into <see cref="ExamplesOptions.OutboxPath"/> (no SMTP
/// server exists here). Every send makes a new file, so a step that runs twice leaves two files: the outbox
/// is how the crash test counts executions from outside the process.
/// </summary>
public sealed class FileEmailSender(IOptions<ExamplesOptions> options, TimeProvider time) : IEmailSender
{
    /// <inheritdoc />
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outbox = options.Value.OutboxPath;
        Directory.CreateDirectory(outbox);
        var now = time.GetUtcNow();

        // Written aside and renamed, so the outbox never shows half a message, even after a kill.
        var name = $"{now:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(outbox, name + ".tmp");
        await File.WriteAllTextAsync(temporary, EmlFormat.Render(message, now), cancellationToken);
        File.Move(temporary, Path.Combine(outbox, name + ".eml"));
    }
}
