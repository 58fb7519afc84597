using FlowDashboard.Host.Examples.Email;

namespace FlowDashboard.Host.Tests.Examples.Email;

public sealed class EmlFormatTests
{
    private static readonly DateTimeOffset Date = new(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Render_PlainMessage_HasHeadersBlankLineAndCrlfBody()
    {
        var text = EmlFormat.Render(new EmailMessage("ada@example.com", "Hello", "line 1\nline 2", "run-1", "send"), Date);

        var (headers, body) = Split(text);
        Assert.Contains("To: ada@example.com", headers);
        Assert.Contains("Subject: Hello", headers);
        Assert.Contains("Date: Wed, 25 Nov 2026 08:30:00 GMT", headers);
        Assert.Contains("X-Flow-Run: run-1", headers);
        Assert.Contains("X-Flow-Step: send", headers);
        Assert.Contains("Message-ID: <run-1.send@flowdashboard.local>", headers);
        Assert.Equal("line 1\r\nline 2\r\n", body);
    }

    [Fact]
    public void Render_LineBreakInSubject_CannotAddAHeader()
    {
        var text = EmlFormat.Render(new EmailMessage("ada@example.com", "Hi\r\nBcc: all@example.com", "x", "run-1", "send"), Date);

        var (headers, _) = Split(text);
        Assert.DoesNotContain(headers, h => h.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Subject: Hi Bcc: all@example.com", headers);
    }

    [Fact]
    public void Render_NonAsciiSubject_IsAnEncodedWord()
    {
        var text = EmlFormat.Render(new EmailMessage("jose@example.com", "Welcome, José!", "x", "run-1", "send"), Date);

        Assert.Contains("Subject: =?utf-8?B?V2VsY29tZSwgSm9zw6kh?=", Split(text).Headers);
    }

    [Fact]
    public void MessageId_CharactersOutsideAnAtom_AreReplaced()
    {
        Assert.Equal("<run-1.charge-2@flowdashboard.local>", EmlFormat.MessageId("run:1", "charge 2"));
        Assert.Equal(EmlFormat.MessageId("r", "s"), EmlFormat.MessageId("r", "s"));
    }

    private static (List<string> Headers, string Body) Split(string text)
    {
        var cut = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..cut].Split("\r\n").ToList(), text[(cut + 4)..]);
    }
}
