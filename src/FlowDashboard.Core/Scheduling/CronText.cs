using Cronos;

namespace FlowDashboard.Scheduling;

/// <summary>
/// A schedule's cron expression parsed with Cronos (the library Hangfire itself uses): 5 fields, or 6 with
/// seconds first, and its fire times in a time zone, daylight-saving changes included.
/// </summary>
public sealed class CronText
{
    private readonly CronExpression expression;

    private CronText(string text, CronExpression expression, bool hasSeconds)
    {
        Text = text;
        this.expression = expression;
        HasSeconds = hasSeconds;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>True for a 6-field expression (seconds first).</summary>
    public bool HasSeconds { get; }

    /// <summary>Parses <paramref name="text"/>, or says why it cannot.</summary>
    /// <param name="text">5 or 6 space-separated fields, or a macro such as <c>@daily</c>.</param>
    /// <param name="cron">The parsed expression.</param>
    /// <param name="error">Why it does not parse.</param>
    public static bool TryParse(string? text, out CronText? cron, out string? error)
    {
        cron = null;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "Give a cron expression, such as '0 9 * * 1-5' (09:00 on weekdays).";
            return false;
        }

        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (!trimmed.StartsWith('@') && fields is not (5 or 6))
        {
            error = $"A cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first; this one has {fields}.";
            return false;
        }

        try
        {
            var hasSeconds = fields == 6;
            cron = new CronText(trimmed, CronExpression.Parse(trimmed, hasSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard), hasSeconds);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>The first fire time after <paramref name="after"/>, or null if it never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone) =>
        expression.GetNextOccurrence(after.UtcDateTime, zone) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, TimeZoneInfo zone, int count)
    {
        var times = new List<DateTimeOffset>(count);
        for (var at = NextAfter(after, zone); at is { } time && times.Count < count; at = NextAfter(time, zone)) times.Add(time);
        return times;
    }

    /// <summary>Every fire time in (<paramref name="after"/>, <paramref name="upTo"/>], oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset upTo, TimeZoneInfo zone) =>
        expression.GetOccurrences(after.UtcDateTime, upTo.UtcDateTime, zone, fromInclusive: false, toInclusive: true)
            .Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    /// <summary>The latest fire time in (<paramref name="after"/>, <paramref name="upTo"/>], or null when there is none.</summary>
    public DateTimeOffset? LatestBetween(DateTimeOffset after, DateTimeOffset upTo, TimeZoneInfo zone)
    {
        DateTimeOffset? latest = null;
        foreach (var time in Between(after, upTo, zone)) latest = time;
        return latest;
    }

    /// <summary>The expression in words, such as "At 09:00, Monday through Friday".</summary>
    public string Describe() => CronDescriber.Describe(Text, HasSeconds);
}
