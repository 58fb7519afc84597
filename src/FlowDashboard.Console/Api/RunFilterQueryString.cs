using System.Globalization;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FlowDashboard.Console.Api;

/// <summary>
/// A <see cref="RunFilter"/> as query-string parameters (<c>workflow</c>, <c>status</c> repeated, <c>from</c>,
/// <c>to</c>, <c>search</c>): the API's list parameters and the console's shareable list URLs are the same.
/// </summary>
internal static class RunFilterQueryString
{
    /// <summary>Reads the filter; returns the errors by parameter instead when a value is not understood.</summary>
    public static RunFilter Parse(IEnumerable<KeyValuePair<string, StringValues>> query, out Dictionary<string, string[]> errors)
    {
        var values = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        errors = [];
        var statuses = new List<RunStatus>();
        foreach (var text in values.GetValueOrDefault("status").SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<RunStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status)) statuses.Add(status);
            else errors["status"] = [$"'{text}' is not a run status: use {string.Join(", ", Enum.GetNames<RunStatus>())}."];
        }

        return new RunFilter
        {
            Workflow = NullIfEmpty(values.GetValueOrDefault("workflow")),
            Statuses = statuses.Count == 0 ? null : statuses.Distinct().ToList(),
            CreatedFrom = Time(values, "from", errors),
            CreatedTo = Time(values, "to", errors),
            Search = NullIfEmpty(values.GetValueOrDefault("search")),
        };
    }

    /// <summary>The filter as a query string without the leading <c>?</c>; empty for no filter.</summary>
    public static string Format(RunFilter filter)
    {
        var parts = new List<string>();
        if (filter.Workflow is { } workflow) parts.Add("workflow=" + Uri.EscapeDataString(workflow));
        foreach (var status in filter.Statuses ?? []) parts.Add("status=" + status);
        if (filter.CreatedFrom is { } from) parts.Add("from=" + Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture)));
        if (filter.CreatedTo is { } to) parts.Add("to=" + Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture)));
        if (filter.Search is { } search) parts.Add("search=" + Uri.EscapeDataString(search));
        return string.Join('&', parts);
    }

    private static DateTimeOffset? Time(Dictionary<string, StringValues> values, string name, Dictionary<string, string[]> errors)
    {
        var text = NullIfEmpty(values.GetValueOrDefault(name));
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        errors[name] = [$"'{text}' is not a time: use ISO 8601, such as 2026-11-25T08:00:00Z."];
        return null;
    }

    private static string? NullIfEmpty(StringValues value) => string.IsNullOrWhiteSpace(value.ToString()) ? null : value.ToString().Trim();
}
