using FlowDashboard.Client;
namespace FlowDashboard.Engine;

/// <summary>A run about to be created: what it is, who started it, and its flow-control keys.</summary>
internal sealed record NewRun(
    string RunId,
    string Workflow,
    string Input,
    RunSource Source,
    string? SourceRef,
    DateTime? ScheduledFor,
    string? ConcurrencyKey,
    string? SingletonKey)
{
    /// <summary>The span that started the run, as a W3C <c>traceparent</c> (see <see cref="Store.RunEntity.TraceParent"/>).</summary>
    public string? TraceParent { get; init; }

    /// <summary>The run's tags, checked.</summary>
    public IReadOnlyList<RunTag> Tags { get; init; } = [];
}
