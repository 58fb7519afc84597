using System.Globalization;
using FlowDashboard.Client;
using FlowDashboard.Queries;

namespace FlowDashboard.Console.Api;

/// <summary>Reads the values of query-string parameters, saying by name what is wrong with one.</summary>
internal static class QueryValues
{
    /// <summary>An ISO 8601 time; null (and an error under <paramref name="name"/>) when it is not one.</summary>
    public static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        errors[name] = [$"'{Shown(text)}' is not a time: use ISO 8601, such as 2026-11-25T08:00:00Z."];
        return null;
    }

    /// <summary>A value of <typeparamref name="T"/> by its name, ignoring case; a number is not a name.</summary>
    public static bool TryEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text.TrimStart()[0]) && text.TrimStart()[0] is not ('-' or '+')
            && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>
    /// The list order of <c>order=</c>: <c>newest</c> (also when absent) or <c>oldest</c>; newest first, and an error
    /// under <c>order</c>, when it is neither.
    /// </summary>
    public static RunOrder Order(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("newest", StringComparison.OrdinalIgnoreCase)) return RunOrder.NewestFirst;
        if (text.Trim().Equals("oldest", StringComparison.OrdinalIgnoreCase)) return RunOrder.OldestFirst;
        errors["order"] = [$"'{Shown(text)}' is not a list order: use newest or oldest."];
        return RunOrder.NewestFirst;
    }

    /// <summary>The <c>order=</c> value of <paramref name="order"/>; null for the default, newest first.</summary>
    public static string? Format(RunOrder order) => order == RunOrder.OldestFirst ? "oldest" : null;

    /// <summary>Text without control characters (a NUL would cut a search short); an error under <paramref name="name"/> otherwise.</summary>
    public static string? Text(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Any(char.IsControl))
        {
            errors[name] = ["Control characters (such as NUL) cannot be searched for or stored here: remove them."];
            return null;
        }

        return text.Trim();
    }

    /// <summary>
    /// Tags written <c>key=value</c>, one per value (<c>tag=customer=42&amp;tag=region=eu</c>); null when none, and
    /// an error under <paramref name="name"/> for one that is not a tag, a key given twice, or more than a run carries.
    /// </summary>
    public static IReadOnlyList<RunTag>? Tags(IEnumerable<string?> texts, string name, Dictionary<string, string[]> errors)
    {
        var tags = new List<RunTag>();
        var problems = new List<string>();
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text)) continue;
            if (RunTag.TryParse(text, out var problem) is not { } tag) problems.Add(problem!);
            else if (tags.Any(t => t.Key == tag.Key)) problems.Add($"Tag key '{tag.Key}' is given twice: a run has one value per key.");
            else tags.Add(tag);
        }

        if (tags.Count > RunTag.MaxPerRun) problems.Add($"Give at most {RunTag.MaxPerRun} tags.");
        if (problems.Count > 0) errors[name] = [.. problems];
        return tags.Count == 0 || problems.Count > 0 ? null : tags;
    }

    /// <summary>Text fit to repeat in an error message: control characters shown as '?', at most 100 characters.</summary>
    public static string Shown(string text)
    {
        var shown = new string(text.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 100 ? shown + "..." : shown;
    }
}
