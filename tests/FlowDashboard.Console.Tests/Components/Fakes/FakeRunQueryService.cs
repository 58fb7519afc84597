using System.Text.Json;
using System.Text.Json.Serialization;
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
    private int failureGroupRequests;

    private static readonly JsonSerializerOptions StrictPayload = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly Lock gate = new();
    private readonly List<ListRequest> listRequests = [];
    private readonly List<RunFilter> countRequests = [];

    /// <summary>The registered workflows.</summary>
    public List<WorkflowInfo> WorkflowList { get; } = [];

    /// <summary>Every list request answers this page.</summary>
    public RunPage Page { get; set; } = new([], null);

    /// <summary>Every count request answers this.</summary>
    public int Count { get; set; }

    /// <summary>
    /// The error type recorded for each run of <see cref="Page"/>, by run id. Once a test sets any, a list or count that
    /// asks for a <see cref="RunFilter.ErrorType"/> answers only the runs of <see cref="Page"/> recorded with that type;
    /// while it is empty, the criterion is ignored like every other.
    /// </summary>
    public Dictionary<string, string> ErrorTypes { get; } = [];

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

    /// <summary>What each wait for an event expects, by the waiting step's input.</summary>
    public Dictionary<string, EventPayloadInfo> EventPayloads { get; } = [];

    public EventPayloadInfo? DescribeEventPayload(string? stepInput) => stepInput is null ? null : EventPayloads.GetValueOrDefault(stepInput);

    /// <summary>
    /// Binds the payload as strictly as the engine (unknown, missing and null members are errors, keyed by member) to
    /// the type the step input names as the engine records it (<c>{"payloadType": "Full.Name, Assembly"}</c>); any JSON
    /// fits a wait that names none. The messages are System.Text.Json's, not the engine's friendlier words.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> ValidateEventPayload(string? stepInput, string json)
    {
        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return new Dictionary<string, string[]> { [""] = [$"This is not valid JSON: {ex.Message}"] };
        }

        using (payload)
        {
            var type = PayloadTypeOf(stepInput);
            try
            {
                if (type is not null && !type.IsValueType && payload.RootElement.Deserialize(type, StrictPayload) is null)
                {
                    return new Dictionary<string, string[]> { [""] = [$"A value of type {type.Name} is required, not null."] };
                }

                return new Dictionary<string, string[]>();
            }
            catch (JsonException ex)
            {
                var member = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "";
                return new Dictionary<string, string[]> { [member] = [ex.Message] };
            }
        }
    }

    private static Type? PayloadTypeOf(string? stepInput)
    {
        if (stepInput is null) return null;
        using var input = JsonDocument.Parse(stepInput);
        return input.RootElement.TryGetProperty("payloadType", out var name) && name.GetString() is { } typeName ? Type.GetType(typeName, throwOnError: false) : null;
    }

    public Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, RunOrder order = RunOrder.NewestFirst, CancellationToken cancellationToken = default)
    {
        lock (gate) listRequests.Add(new ListRequest(filter, cursor, pageSize, order));
        return Task.FromResult(filter.ErrorType is { } type && ErrorTypes.Count > 0 ? new RunPage(WithErrorType(filter, type), null) : Page);
    }

    public Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        lock (gate) countRequests.Add(filter);
        return Task.FromResult(filter.ErrorType is { } type && ErrorTypes.Count > 0 ? WithErrorType(filter, type).Count : Count);
    }

    private List<RunSummaryInfo> WithErrorType(RunFilter filter, string type) =>
        Page.Runs.Where(r => (filter.RunIds is null || filter.RunIds.Contains(r.RunId)) && ErrorTypes.GetValueOrDefault(r.RunId) == type).ToList();

    public Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<RunStatus, int>>(new Dictionary<RunStatus, int>());

    public Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, TimeSpan? bucket = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ThroughputPoint>>(Throughput);

    /// <summary>What <see cref="ThroughputAsync"/> answers.</summary>
    public List<ThroughputPoint> Throughput { get; } = [];

    /// <summary>What <see cref="OverviewAsync"/> answers, with the window it was asked for.</summary>
    public OverviewStats Overview { get; set; } = new(DateTimeOffset.MinValue, [], 0, null, 0);

    /// <summary>The windows the overview was asked for.</summary>
    public List<DateTimeOffset> OverviewRequests { get; } = [];

    public Task<OverviewStats> OverviewAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (gate) OverviewRequests.Add(since);
        return Task.FromResult(Overview with { Since = since });
    }

    /// <summary>What <see cref="FailureGroupsAsync"/> answers.</summary>
    public List<FailureGroup> FailureGroups { get; } = [];

    /// <summary>How often <see cref="FailureGroupsAsync"/> was asked.</summary>
    public int FailureGroupRequests => Volatile.Read(ref failureGroupRequests);

    public Task<IReadOnlyList<FailureGroup>> FailureGroupsAsync(DateTimeOffset since, int maxRuns = 10_000, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref failureGroupRequests);
        return Task.FromResult<IReadOnlyList<FailureGroup>>(FailureGroups);
    }

    public Task<RunInfo?> GetTimelineAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Timelines.GetValueOrDefault(runId));

    public Task<StepInfo?> GetStepAsync(string runId, string step, CancellationToken cancellationToken = default) =>
        Task.FromResult(Steps.GetValueOrDefault((runId, step)));

    public Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntryInfo>>([]);

    public IReadOnlyList<ServerInfo> Servers() => [];

    /// <summary>What <see cref="StoreAsync"/> answers.</summary>
    public StoreInfo Store { get; set; } = new(0, 0, null);

    public Task<StoreInfo> StoreAsync(CancellationToken cancellationToken = default) => Task.FromResult(Store);

    /// <summary>What <see cref="PausesAsync"/> answers.</summary>
    public List<PauseInfo> Pauses { get; } = [];

    public Task<IReadOnlyList<PauseInfo>> PausesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PauseInfo>>([.. Pauses]);

    /// <summary>One call of <see cref="ListRunsAsync"/>.</summary>
    /// <param name="Filter">The filter asked for.</param>
    /// <param name="Cursor">The cursor asked for; null for the first page.</param>
    /// <param name="PageSize">The page size asked for.</param>
    public sealed record ListRequest(RunFilter Filter, string? Cursor, int PageSize, RunOrder Order = RunOrder.NewestFirst);
}
