using System.Globalization;
using System.Text;

namespace FlowDashboard.Queries;

/// <summary>The keyset position of the runs list: the last row's (CreatedAt, Id), opaque to callers.</summary>
internal sealed record RunCursor(DateTime CreatedAt, string RunId)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}:{RunId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="ArgumentException">The text is not a cursor this service made.</exception>
    public static RunCursor Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var ticks = long.Parse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture);
            return new RunCursor(new DateTime(ticks, DateTimeKind.Utc), text[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new ArgumentException($"'{cursor}' is not a valid cursor: pass back the nextCursor of a previous page.", nameof(cursor), ex);
        }
    }
}
