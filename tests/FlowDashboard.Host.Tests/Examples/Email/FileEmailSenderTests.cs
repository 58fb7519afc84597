using FlowDashboard.Host.Examples;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Tests.Examples.Email;

public sealed class FileEmailSenderTests : IDisposable
{
    private readonly string outbox = Path.Combine(Path.GetTempPath(), "flowdashboard-outbox-" + Guid.NewGuid().ToString("N"), "outbox");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(outbox)!, recursive: true);

    [Fact]
    public async Task SendAsync_SameStepTwice_WritesTwoFilesWithOneMessageId()
    {
        var sender = new FileEmailSender(Options.Create(new ExamplesOptions { OutboxPath = outbox }), TimeProvider.System);
        var message = new EmailMessage("ada@example.com", "Hello", "Hi", "run-1", "send");

        await sender.SendAsync(message, TestContext.Current.CancellationToken);
        await sender.SendAsync(message, TestContext.Current.CancellationToken);

        var files = Directory.GetFiles(outbox);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.EndsWith(".eml", f, StringComparison.Ordinal));
        Assert.All(files, f => Assert.Contains("Message-ID: <run-1.send@flowdashboard.local>", File.ReadAllText(f), StringComparison.Ordinal));
    }
}
