using FlowDashboard.Queries;

namespace FlowDashboard.Operations;

/// <summary>The runs a bulk operation acts on: the given ids, or every run matching a filter at the time it runs.</summary>
public sealed record RunSelection
{
    private RunSelection(IReadOnlyList<string>? runIds, RunFilter? filter)
    {
        RunIds = runIds;
        Filter = filter;
    }

    /// <summary>The selected runs, when chosen one by one.</summary>
    public IReadOnlyList<string>? RunIds { get; }

    /// <summary>The filter, when every matching run is selected.</summary>
    public RunFilter? Filter { get; }

    /// <summary>These runs.</summary>
    /// <param name="runIds">The run ids.</param>
    public static RunSelection Of(IEnumerable<string> runIds) => new(runIds.Distinct(StringComparer.Ordinal).ToList(), null);

    /// <summary>Every run matching <paramref name="filter"/>, read page by page as the operation goes.</summary>
    /// <param name="filter">Which runs.</param>
    public static RunSelection Matching(RunFilter filter) => new(null, filter ?? throw new ArgumentNullException(nameof(filter)));
}
