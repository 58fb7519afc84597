using FlowDashboard.Client;
using FlowDashboard.Queries;
using FlowDashboard.States;

namespace FlowDashboard.Console.Tests.Components.Fakes;

/// <summary>
/// An <see cref="IRunQueryService"/> that answers from canned data set by the test and records what the
/// console asked for (filters, cursors, steps), so a test can check the question as well as the drawing.
/// </summary>
public sealed class FakeRunQueryService : IRunQueryService
{
    private readonly Lock gate = new();
    private readonly List<ListRequest> listRequests = [];
    private readonly List<RunFilter> countRequests = [];

    /// <summary>The registered workflows.</summary>
    public List<WorkflowInfo> WorkflowList { get; } = [];

    /// <summary>Every list request answers this page.</summary>
    public RunPage Page { get; set; } = new([], null);

    /// <summary>Every count request answers this.</summary>
    public int Count { get; set; }

    /// <summary>Timelines by run id.</summary>
    public Dictionary<string, RunInfo> Timelines { get; } = [];

    /// <summary>Steps by (run id, step name).</summary>
    public Dictionary<(string RunId, string Step), StepInfo> Steps { get; } = [];

    /// <summary>The list requests in the order they came.</summary>
    public IReadOnlyList<ListRequest> ListRequests
    {
        get
        {
            lock (gate) return [.. listRequests];
        }
    }

    /// <summary>The filters counted, in the order they came.</summary>
    public IReadOnlyList<RunFilter> CountRequests
    {
        get
        {
            lock (gate) return [.. countRequests];
        }
    }

    public IReadOnlyList<WorkflowInfo> Workflows() => WorkflowList;

    public IReadOnlyDictionary<string, string[]> ValidateInput(string workflow, string json) => new Dictionary<string, string[]>();

    public Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        lock (gate) listRequests.Add(new ListRequest(filter, cursor, pageSize));
        return Task.FromResult(Page);
    }

    public Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        lock (gate) countRequests.Add(filter);
        return Task.FromResult(Count);
    }

    public Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<RunStatus, int>>(new Dictionary<RunStatus, int>());

    public Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ThroughputPoint>>([]);

    public Task<IReadOnlyList<RunSummaryInfo>> RecentFailuresAsync(TimeSpan within, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunSummaryInfo>>([]);

    public Task<RunInfo?> GetTimelineAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Timelines.GetValueOrDefault(runId));

    public Task<StepInfo?> GetStepAsync(string runId, string step, CancellationToken cancellationToken = default) =>
        Task.FromResult(Steps.GetValueOrDefault((runId, step)));

    public Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntryInfo>>([]);

    public IReadOnlyList<ServerInfo> Servers() => [];

    /// <summary>One call of <see cref="ListRunsAsync"/>.</summary>
    /// <param name="Filter">The filter asked for.</param>
    /// <param name="Cursor">The cursor asked for; null for the first page.</param>
    /// <param name="PageSize">The page size asked for.</param>
    public sealed record ListRequest(RunFilter Filter, string? Cursor, int PageSize);
}
