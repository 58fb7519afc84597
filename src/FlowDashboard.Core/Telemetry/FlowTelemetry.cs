using System.Diagnostics;

namespace FlowDashboard.Telemetry;

/// <summary>
/// The name of the engine's traces and metrics: <c>AddSource(FlowTelemetry.Name)</c> and <c>AddMeter(FlowTelemetry.Name)</c>
/// on the host's OpenTelemetry builder are all it takes. Nothing is recorded while nothing listens.
/// </summary>
public static class FlowTelemetry
{
    /// <summary>"FlowDashboard": the <see cref="ActivitySource"/> and the meter.</summary>
    public const string Name = "FlowDashboard";

    /// <summary>The attributes every span and measurement of a run carries.</summary>
    public const string WorkflowAttribute = "flowdashboard.workflow";

    /// <summary>The run's id (spans only: as a metric attribute it would make a series per run).</summary>
    public const string RunIdAttribute = "flowdashboard.run_id";

    /// <summary>The step's name.</summary>
    public const string StepAttribute = "flowdashboard.step";

    /// <summary>The attempt's number, from 1.</summary>
    public const string AttemptAttribute = "flowdashboard.attempt";

    /// <summary>How a step attempt or an execution ended: completed, failed, retrying, suspended, cancelled, stopped.</summary>
    public const string OutcomeAttribute = "flowdashboard.outcome";

    /// <summary>Where a run came from: api, schedule, parent, operator.</summary>
    public const string SourceAttribute = "flowdashboard.source";

    internal static readonly ActivitySource Source = new(Name, typeof(FlowTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// Starts a run's first span, "start {workflow}", as a child of the current one (the request or schedule that
    /// triggers it) and returns its context as a W3C <c>traceparent</c>, recorded with the run: every execution of the
    /// run continues that trace. Without a listener, the current span's context, if any.
    /// </summary>
    internal static string? StartRun(string workflow, string runId, string source)
    {
        using var activity = Source.StartActivity($"start {workflow}", ActivityKind.Producer);
        if (activity is null) return Activity.Current?.IdFormat == ActivityIdFormat.W3C ? Activity.Current.Id : null;
        activity.SetTag(WorkflowAttribute, workflow);
        activity.SetTag(RunIdAttribute, runId);
        activity.SetTag(SourceAttribute, source);
        return activity.Id;
    }

    /// <summary>The context a run's recorded <c>traceparent</c> names; default (a new trace) when there is none.</summary>
    internal static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    /// <summary>The trace id of a recorded <c>traceparent</c>, as 32 hex digits; null when there is none.</summary>
    internal static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>Marks a span failed with the exception, as OpenTelemetry's conventions record one.</summary>
    internal static void Failed(Activity? activity, Exception error, string outcome)
    {
        if (activity is null) return;
        activity.SetTag(OutcomeAttribute, outcome);
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddException(error);
    }
}
