using System.Globalization;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.Primitives;

namespace FlowDashboard.Console.Api;

/// <summary>
/// A <see cref="RunFilter"/> as query-string parameters (<c>workflow</c>, <c>status</c> repeated, <c>from</c>,
/// <c>to</c>, <c>search</c>, <c>endedFrom</c>, <c>endedTo</c>, <c>step</c> (a failed step's name), <c>errorType</c>, <c>tag</c> repeated, as <c>key=value</c>): the API's list parameters and the console's shareable list URLs are the same.
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
            if (QueryValues.TryEnum<RunStatus>(text, out var status)) statuses.Add(status);
            else errors["status"] = [$"'{QueryValues.Shown(text)}' is not a run status: use {string.Join(", ", Enum.GetNames<RunStatus>())}."];
        }

        return new RunFilter
        {
            Workflow = QueryValues.Text(values.GetValueOrDefault("workflow"), "workflow", errors),
            Statuses = statuses.Count == 0 ? null : statuses.Distinct().ToList(),
            CreatedFrom = QueryValues.Time(values.GetValueOrDefault("from"), "from", errors),
            CreatedTo = QueryValues.Time(values.GetValueOrDefault("to"), "to", errors),
            Search = QueryValues.Text(values.GetValueOrDefault("search"), "search", errors),
            EndedFrom = QueryValues.Time(values.GetValueOrDefault("endedFrom"), "endedFrom", errors),
            EndedTo = QueryValues.Time(values.GetValueOrDefault("endedTo"), "endedTo", errors),
            FailedStep = QueryValues.Text(values.GetValueOrDefault("step"), "step", errors),
            ErrorType = QueryValues.Text(values.GetValueOrDefault("errorType"), "errorType", errors),
            Tags = QueryValues.Tags(values.GetValueOrDefault("tag"), "tag", errors),
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
        if (filter.EndedFrom is { } endedFrom) parts.Add("endedFrom=" + Uri.EscapeDataString(endedFrom.ToString("O", CultureInfo.InvariantCulture)));
        if (filter.EndedTo is { } endedTo) parts.Add("endedTo=" + Uri.EscapeDataString(endedTo.ToString("O", CultureInfo.InvariantCulture)));
        if (filter.FailedStep is { } step) parts.Add("step=" + Uri.EscapeDataString(step));
        if (filter.ErrorType is { } errorType) parts.Add("errorType=" + Uri.EscapeDataString(errorType));
        foreach (var tag in filter.Tags ?? []) parts.Add("tag=" + Uri.EscapeDataString(tag.ToString()));
        return string.Join('&', parts);
    }
}
