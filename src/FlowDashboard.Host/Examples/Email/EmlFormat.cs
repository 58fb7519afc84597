using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FlowDashboard.Host.Examples.Email;

/// <summary>Renders an <see cref="EmailMessage"/> as an RFC 822 (5322) message, as a mail client opens a <c>.eml</c> file.</summary>
public static partial class EmlFormat
{
    /// <summary>The Message-ID of the email a step sends: the same for every execution of that step, so a provider can dedupe on it.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="step">The step.</param>
    public static string MessageId(string runId, string step) =>
        $"<{NotAtom().Replace($"{runId}.{step}", "-")}@flowdashboard.local>";

    /// <summary>The whole message: headers, a blank line, the body, with CRLF line ends.</summary>
    /// <param name="message">What to render.</param>
    /// <param name="date">The Date header.</param>
    public static string Render(EmailMessage message, DateTimeOffset date) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"Date: {date:R}\r\n")
        .Append("From: FlowDashboard examples <examples@flowdashboard.local>\r\n")
        .Append(CultureInfo.InvariantCulture, $"To: {Header(message.To)}\r\n")
        .Append(CultureInfo.InvariantCulture, $"Subject: {Header(message.Subject)}\r\n")
        .Append(CultureInfo.InvariantCulture, $"Message-ID: {MessageId(message.RunId, message.Step)}\r\n")
        .Append(CultureInfo.InvariantCulture, $"X-Flow-Run: {Header(message.RunId)}\r\n")
        .Append(CultureInfo.InvariantCulture, $"X-Flow-Step: {Header(message.Step)}\r\n")
        .Append("MIME-Version: 1.0\r\n")
        .Append("Content-Type: text/plain; charset=utf-8\r\n")
        .Append("Content-Transfer-Encoding: 8bit\r\n")
        .Append("\r\n")
        .Append(LineEnd().Replace(message.Body, "\r\n"))
        .Append("\r\n")
        .ToString();

    // Values come from workflow input (a user's name in the subject): a line break would start a header of
    // the sender's choosing, and raw UTF-8 is not allowed in a header, so non-ASCII goes as an RFC 2047 word.
    private static string Header(string value)
    {
        var line = LineBreak().Replace(value, " ");
        return Ascii().IsMatch(line) ? line : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(line))}?=";
    }

    [GeneratedRegex(@"[\r\n]+")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"\r\n|\r|\n")]
    private static partial Regex LineEnd();

    [GeneratedRegex(@"^[\x20-\x7E]*$")]
    private static partial Regex Ascii();

    // What may stand in a msg-id's left part (RFC 5322 dot-atom-text): run ids may hold ':' and step names anything.
    [GeneratedRegex(@"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]")]
    private static partial Regex NotAtom();
}
