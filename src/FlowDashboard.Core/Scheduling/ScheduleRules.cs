using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlowDashboard.Scheduling;

/// <summary>
/// What a schedule must be to be saved, and the editor's preview of a cron expression: pure functions of their
/// arguments (the clock and the check of a workflow's input are given), used by <see cref="IScheduleService"/> and by
/// tests that stand in for it.
/// </summary>
public static partial class ScheduleRules
{
    /// <summary>The problems of a schedule by field (<c>name</c>, <c>cron</c>, <c>timeZone</c>, <c>workflow</c>, <c>input</c>); empty when it can be saved.</summary>
    /// <param name="name">The new schedule's name; null when an existing one is edited.</param>
    /// <param name="definition">What it would be.</param>
    /// <param name="now">The time it would be saved at: a cron expression must fire after it.</param>
    /// <param name="inputCheck">
    /// Given a workflow's name, null when no such workflow is registered, else the check of its input: an input's
    /// problems, empty when it binds to the workflow's input type.
    /// </param>
    public static IReadOnlyDictionary<string, string[]> Validate(
        string? name, ScheduleDefinition definition, DateTimeOffset now, Func<string, Func<JsonElement, IReadOnlyList<string>>?> inputCheck)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputCheck);
        var errors = new Dictionary<string, string[]>();
        if (name is not null && !NamePattern().IsMatch(name))
        {
            errors["name"] = ["Use 1 to 60 letters, digits and '-', '_', '.', starting with a letter or digit."];
        }

        var zoneKnown = TimeZoneInfo.TryFindSystemTimeZoneById(definition.TimeZone ?? "", out var zone);
        if (!zoneKnown) errors["timeZone"] = [$"'{definition.TimeZone}' is not a known time zone: use an IANA id such as UTC or Europe/Berlin."];
        if (!CronText.TryParse(definition.Cron, out var cron, out var cronError))
        {
            errors["cron"] = [cronError!];
        }
        else if (cron!.NextAfter(now, zone ?? TimeZoneInfo.Utc) is null)
        {
            // Cronos looks years ahead, so 29 February passes and 31 February does not.
            errors["cron"] = [NoFireTime(cron)];
        }

        if (inputCheck(definition.Workflow) is not { } check)
        {
            errors["workflow"] = [$"No workflow named '{definition.Workflow}' is registered."];
            return errors;
        }

        try
        {
            using var input = JsonDocument.Parse(string.IsNullOrWhiteSpace(definition.Input) ? "null" : definition.Input);
            if (check(input.RootElement) is { Count: > 0 } problems) errors["input"] = [.. problems];
        }
        catch (JsonException ex)
        {
            errors["input"] = [$"This is not valid JSON: {ex.Message}"];
        }

        return errors;
    }

    /// <summary>A cron expression in words with its next <paramref name="count"/> fire times after <paramref name="now"/> in a zone.</summary>
    public static SchedulePreview Preview(string cron, string timeZone, DateTimeOffset now, int count = 5)
    {
        var parsed = CronText.TryParse(cron, out var expression, out var cronError);
        var zoneKnown = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone ?? "", out var zone);
        var zoneError = zoneKnown ? null : $"'{timeZone}' is not a known time zone.";
        var next = parsed && zoneKnown ? expression!.Next(now, zone!, count) : [];
        if (parsed && zoneKnown && next.Count == 0) cronError = NoFireTime(expression!);
        return new SchedulePreview(parsed ? expression!.Describe() : null, next, cronError, zoneError);
    }

    /// <summary>The IANA time zones a schedule can use, by id.</summary>
    public static IReadOnlyList<string> TimeZones() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Why a cron expression that parses can never be saved.</summary>
    internal static string NoFireTime(CronText cron) => $"'{cron.Text}' has no fire time: no date matches it ({cron.Describe()}).";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")]
    private static partial Regex NamePattern();
}
