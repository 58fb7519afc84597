using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.States;

namespace FlowDashboard.Console.Api;

/// <summary>
/// The body of <c>POST /runs/bulk/{action}</c>: the runs to act on, named one by one (<c>{"runIds": [...]}</c>)
/// or chosen by a filter (<c>{"filter": {...}}</c>; <c>{"filter": {}}</c> is every run, and only that says so).
/// </summary>
/// <param name="RunIds">The runs, by id.</param>
/// <param name="Filter">The list's filter, whose matching runs are acted on.</param>
internal sealed record BulkRequest(IReadOnlyList<string>? RunIds = null, BulkRequest.FilterBody? Filter = null)
{
    /// <summary>What to send, for an answer that says what was missing.</summary>
    public const string Shape = """{"runIds": ["..."]} or {"filter": {"workflow", "status": [...], "from", "to", "search", "tags": ["key=value"]}} ({"filter": {}} for every run)""";

    private const int MaxRunIds = 10_000;

    /// <summary>The selection the body asks for, or the errors by member.</summary>
    public RunSelection ToSelection()
    {
        var errors = new Dictionary<string, string[]>();
        RunSelection? selection = null;
        if ((RunIds is null) == (Filter is null))
        {
            errors[RunIds is null ? "body" : "filter"] = [$"Give either the run ids or a filter: {Shape}."];
        }
        else if (RunIds is not null)
        {
            if (RunIds.Count is 0 or > MaxRunIds) errors["runIds"] = [$"Give 1 to {MaxRunIds:N0} run ids (or a filter to act on more)."];
            else if (RunIds.FirstOrDefault(string.IsNullOrWhiteSpace) is not null) errors["runIds"] = ["A run id cannot be empty."];
            else selection = RunSelection.Of(RunIds);
        }
        else
        {
            var filter = new RunFilter
            {
                Workflow = QueryValues.Text(Filter!.Workflow, "filter.workflow", errors),
                Statuses = Filter.Status is { Count: > 0 } statuses ? statuses.Distinct().ToList() : null,
                CreatedFrom = Filter.From,
                CreatedTo = Filter.To,
                Search = QueryValues.Text(Filter.Search, "filter.search", errors),
                Tags = QueryValues.Tags(Filter.Tags ?? [], "filter.tags", errors),
            };
            selection = RunSelection.Matching(filter);
        }

        return errors.Count > 0 ? throw new ApiRequestException(Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, "The bulk request is not valid", errors) : selection!;
    }

    /// <summary>A filter as the runs list takes it; every member left out matches every run.</summary>
    /// <param name="Workflow">Only runs of this workflow.</param>
    /// <param name="Status">Only runs in one of these states (by name).</param>
    /// <param name="From">Only runs created at or after this time (ISO 8601).</param>
    /// <param name="To">Only runs created before this time.</param>
    /// <param name="Search">Only runs whose id or input holds this text.</param>
    /// <param name="Tags">Only runs carrying every one of these tags, each <c>key=value</c>.</param>
    internal sealed record FilterBody(
        string? Workflow = null,
        IReadOnlyList<RunStatus>? Status = null,
        DateTimeOffset? From = null,
        DateTimeOffset? To = null,
        string? Search = null,
        IReadOnlyList<string?>? Tags = null);
}
