using System.Text.Json;
using FlowDashboard.Engine;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Client;

/// <summary>Turns store rows into the read-only snapshots callers see.</summary>
internal static class RunInfoMapper
{
    public static RunInfo ToInfo(RunEntity run, WorkflowDefinition? definition) =>
        ToInfo(run, run.Steps.OrderBy(s => s.Sequence).ThenBy(s => s.Id).Select(ToInfo).ToList(), definition);

    /// <summary>The run with steps read apart: the timeline reads them without outputs and errors.</summary>
    public static RunInfo ToInfo(RunEntity run, IReadOnlyList<StepInfo> steps, WorkflowDefinition? definition) => new(
        run.Id, run.Workflow, run.Status, run.Source, Utc(run.CreatedAt), Utc(run.StartedAt), Utc(run.CompletedAt), Utc(run.DueAt),
        Json(run.Input), Json(run.Output), run.Error, steps)
    {
        SourceRef = run.SourceRef,
        ScheduledFor = Utc(run.ScheduledFor),
        ThrottledUntil = Utc(run.ThrottledUntil),
        TraceId = Telemetry.FlowTelemetry.TraceIdOf(run.TraceParent),
        Tags = RunTag.ByKey(run.Tags.Select(t => (t.Key, t.Value))),
        TimesOutAt = run.Status.IsFinal() ? null : Utc(definition?.DeadlineOf(run)),
        Held = run.Held,
    };

    public static RunSummaryInfo ToSummary(RunEntity run) => new(
        run.Id, run.Workflow, run.Status, run.Source, Utc(run.CreatedAt), Utc(run.StartedAt), Utc(run.CompletedAt), Utc(run.DueAt), run.Error)
    {
        SourceRef = run.SourceRef,
        ScheduledFor = Utc(run.ScheduledFor),
        ThrottledUntil = Utc(run.ThrottledUntil),
    };

    /// <summary>The reruns of a run, oldest first, from the (SourceRef, CreatedAt) index; at most 100.</summary>
    public static async Task<IReadOnlyList<string>> RerunsOfAsync(FlowDbContext db, string runId, CancellationToken cancellationToken) =>
        await db.Runs.AsNoTracking().Where(r => r.SourceRef == runId && r.Source == RunSource.Rerun).OrderBy(r => r.CreatedAt).Select(r => r.Id)
            .Take(100).ToListAsync(cancellationToken);

    public static StepInfo ToInfo(StepEntity step) => new(
        step.Name, step.Kind, step.Status, Utc(step.StartedAt), Utc(step.CompletedAt), Utc(step.WakeAt), Utc(step.NextAttemptAt),
        Json(step.Output), step.Error, step.Attempts.OrderBy(a => a.Number).Select(ToInfo).ToList())
    {
        Target = step.Target,
        Input = Json(step.Input),
        Note = StepNotes.Describe(step.Kind, step.Status, step.Output),
        ParallelGroup = step.ParallelGroup,
        Sequence = step.Sequence,
    };

    private static AttemptInfo ToInfo(AttemptEntity attempt) => new(
        attempt.Number, attempt.Status, Utc(attempt.ScheduledAt), Utc(attempt.StartedAt), Utc(attempt.EndedAt),
        attempt.Error, attempt.ErrorType, attempt.StackTrace);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    private static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
