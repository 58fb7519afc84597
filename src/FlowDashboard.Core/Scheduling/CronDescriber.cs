using System.Globalization;

namespace FlowDashboard.Scheduling;

/// <summary>
/// Cron expressions in words, for the schedules page and editor ("Every 5 minutes", "At 09:00, Monday
/// through Friday"). The package mirror has no CronExpressionDescriptor; this covers what schedules use.
/// </summary>
internal static class CronDescriber
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] Months = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] MonthNames = ["", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    public static string Describe(string text, bool hasSeconds)
    {
        var macro = text.Trim().ToLowerInvariant() switch
        {
            "@yearly" or "@annually" => "Once a year, at 00:00 on January 1",
            "@monthly" => "Once a month, at 00:00 on day 1",
            "@weekly" => "Once a week, at 00:00 on Sunday",
            "@daily" or "@midnight" => "Every day at 00:00",
            "@hourly" => "Every hour, at minute 0",
            "@every_minute" => "Every minute",
            "@every_second" => "Every second",
            _ => null,
        };
        if (macro is not null) return macro;

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var second = hasSeconds ? fields[0] : "0";
        var (minute, hour, day, month, weekday) = hasSeconds
            ? (fields[1], fields[2], fields[3], fields[4], fields[5])
            : (fields[0], fields[1], fields[2], fields[3], fields[4]);

        var time = Time(second, minute, hour, hasSeconds);
        var days = Days_(day, month, weekday);
        var sentence = days.Length == 0 ? (time.StartsWith("at ", StringComparison.Ordinal) && char.IsAsciiDigit(time[3]) ? $"every day {time}" : time) : $"{time}, {days}";
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    private static string Time(string second, string minute, string hour, bool hasSeconds)
    {
        if (IsNumber(minute) && IsNumber(hour) && IsNumber(second))
        {
            var clock = $"{Two(hour)}:{Two(minute)}" + (hasSeconds && second != "0" ? $":{Two(second)}" : "");
            return $"at {clock}";
        }

        if (IsNumber(minute) && IsNumber(second) && IsList(hour))
        {
            return "at " + string.Join(", ", hour.Split(',').Select(h => $"{Two(h)}:{Two(minute)}"));
        }

        var parts = new List<string>();
        if (hasSeconds && second != "0") parts.Add(Unit(second, "second"));
        if (!(hasSeconds && second is "*" or ['*', '/', ..] && minute == "*")) parts.Add(Unit(minute, "minute"));
        if (hour != "*") parts.Add(Hours(hour));
        return string.Join(", ", parts);
    }

    private static string Unit(string field, string unit) => field switch
    {
        "*" => $"every {unit}",
        ['*', '/', .. var step] => $"every {step} {unit}s",
        _ when field.Contains('/', StringComparison.Ordinal) => $"every {field.Split('/')[1]} {unit}s from {unit} {field.Split('/')[0]}",
        _ when field.Contains('-', StringComparison.Ordinal) && !field.Contains(',', StringComparison.Ordinal) => $"every {unit} from {field.Replace("-", " through ", StringComparison.Ordinal)}",
        _ when IsNumber(field) => $"at {unit} {field}",
        _ => $"at {unit}s {field.Replace(",", ", ", StringComparison.Ordinal)}",
    };

    private static string Hours(string hour) => hour switch
    {
        ['*', '/', .. var step] => $"every {step} hours",
        _ when IsNumber(hour) => $"between {Two(hour)}:00 and {Two(hour)}:59",
        _ when hour.Contains('-', StringComparison.Ordinal) && !hour.Contains(',', StringComparison.Ordinal) && !hour.Contains('/', StringComparison.Ordinal)
            => $"between {Two(hour.Split('-')[0])}:00 and {Two(hour.Split('-')[1])}:59",
        _ => $"in hours {hour.Replace(",", ", ", StringComparison.Ordinal)}",
    };

    private static string Days_(string day, string month, string weekday)
    {
        var parts = new List<string>();
        if (weekday is not ("*" or "?")) parts.Add(Names(weekday, DayNames, Days, "only on"));
        if (day is not ("*" or "?")) parts.Add(day == "L" ? "on the last day of the month" : $"on day {day.Replace(",", ", ", StringComparison.Ordinal)} of the month");
        if (month != "*") parts.Add(Names(month, MonthNames, Months, "in"));
        return string.Join(", ", parts);
    }

    private static string Names(string field, string[] shortNames, string[] names, string lead)
    {
        string Name(string value)
        {
            var index = Array.IndexOf(shortNames, value.ToUpperInvariant());
            if (index < 0 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) index = number;
            return index >= 0 && index < names.Length ? names[index] : value;
        }

        if (field.Contains('-', StringComparison.Ordinal) && !field.Contains(',', StringComparison.Ordinal) && !field.Contains('/', StringComparison.Ordinal))
        {
            var range = field.Split('-');
            return $"{Name(range[0])} through {Name(range[1])}";
        }

        var items = field.Split(',').Select(Name).ToList();
        return items.Count == 1 ? $"{lead} {items[0]}" : $"{lead} {string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
    }

    private static bool IsNumber(string field) => int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static bool IsList(string field) => field.Split(',').All(IsNumber);

    private static string Two(string number) => int.Parse(number, CultureInfo.InvariantCulture).ToString("00", CultureInfo.InvariantCulture);
}
