using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Queries;

/// <summary>The <see cref="IRunQueryService"/> on the EF Core store and Hangfire's monitoring API.</summary>
internal sealed class RunQueryService(
    IDbContextFactory<FlowDbContext> contexts,
    IStoreProvider store,
    WorkflowRegistry registry,
    JobStorage storage,
    TimeProvider time) : IRunQueryService
{
    public const int MaxPageSize = 500;

    private static readonly RunStatus[] Final = [RunStatus.Completed, RunStatus.Failed];

    public IReadOnlyList<WorkflowInfo> Workflows() =>
        registry.All.OrderBy(w => w.Name, StringComparer.Ordinal)
            .Select(w => new WorkflowInfo(w.Name, w.InputType.Name, InputTemplate.For(w.InputType)))
            .ToList();

    public IReadOnlyDictionary<string, string[]> ValidateInput(string workflow, string json)
    {
        var definition = registry.Get(workflow);
        try
        {
            using var document = JsonDocument.Parse(json);
            definition.BindInput(document.RootElement);
            return new Dictionary<string, string[]>();
        }
        catch (JsonException ex)
        {
            return new Dictionary<string, string[]> { [""] = [$"This is not valid JSON: {ex.Message}"] };
        }
        catch (InvalidWorkflowInputException ex)
        {
            return ex.Errors;
        }
    }

    public async Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var after = cursor is null ? null : RunCursor.Decode(cursor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // One row more than asked tells whether there is a next page.
        var rows = await db.RunsMatching(filter, store).NewestAfter(after).Take(pageSize + 1)
            .Select(r => new { r.Id, r.Workflow, r.Status, r.Source, r.CreatedAt, r.StartedAt, r.CompletedAt, r.DueAt, r.Error, r.SourceRef, r.ScheduledFor, r.ThrottledUntil })
            .ToListAsync(cancellationToken);
        var runs = rows.Take(pageSize)
            .Select(r => new RunSummaryInfo(r.Id, r.Workflow, r.Status, r.Source, Utc(r.CreatedAt), Utc(r.StartedAt), Utc(r.CompletedAt), Utc(r.DueAt), r.Error)
            {
                SourceRef = r.SourceRef,
                ScheduledFor = Utc(r.ScheduledFor),
                ThrottledUntil = Utc(r.ThrottledUntil),
            })
            .ToList();
        var next = rows.Count > pageSize ? new RunCursor(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].Id).Encode() : null;
        return new RunPage(runs, next);
    }

    public async Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RunsMatching(filter, store).CountAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Kept by triggers on every status change: a read of a few rows (each state's shards summed), not a count of every run.
        var counts = await db.RunCounts.GroupBy(c => c.Status).Select(g => new { Status = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        return counts.Where(c => c.Count > 0).ToDictionary(c => c.Status, c => (int)c.Count);
    }

    public async Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var first = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc) - window + TimeSpan.FromMinutes(1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Grouped in the database: a busy hour is hundreds of thousands of runs, a chart is sixty points.
        var groups = await db.Runs
            .Where(r => Final.Contains(r.Status) && r.CompletedAt >= first)
            .GroupBy(r => new { r.CompletedAt!.Value.Day, r.CompletedAt.Value.Hour, r.CompletedAt.Value.Minute, r.Status })
            .Select(g => new { g.Key.Day, g.Key.Hour, g.Key.Minute, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var points = new List<ThroughputPoint>();
        for (var minute = first; minute <= now; minute = minute.AddMinutes(1))
        {
            int CountOf(RunStatus status) => groups
                .Where(g => g.Day == minute.Day && g.Hour == minute.Hour && g.Minute == minute.Minute && g.Status == status)
                .Sum(g => g.Count);
            points.Add(new ThroughputPoint(Utc(minute), CountOf(RunStatus.Completed), CountOf(RunStatus.Failed)));
        }

        return points;
    }

    public async Task<IReadOnlyList<RunSummaryInfo>> RecentFailuresAsync(TimeSpan within, int max, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow().UtcDateTime - within;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.CompletedAt >= since && r.Status == RunStatus.Failed)
            .OrderByDescending(r => r.CompletedAt).Take(max)
            .Select(r => new { r.Id, r.Workflow, r.Status, r.Source, r.CreatedAt, r.StartedAt, r.CompletedAt, r.DueAt, r.Error, r.SourceRef, r.ScheduledFor, r.ThrottledUntil })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new RunSummaryInfo(r.Id, r.Workflow, r.Status, r.Source, Utc(r.CreatedAt), Utc(r.StartedAt), Utc(r.CompletedAt), Utc(r.DueAt), r.Error)
            {
                SourceRef = r.SourceRef,
                ScheduledFor = Utc(r.ScheduledFor),
                ThrottledUntil = Utc(r.ThrottledUntil),
            })
            .ToList();
    }

    public async Task<RunInfo?> GetTimelineAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The run, its steps and their attempts from one snapshot: a timeline never mixes two commits.
        await using var snapshot = await store.BeginSnapshotAsync(db, cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null) return null;

        // Two flat queries without errors, outputs and stack traces: a 10,000-step run stays a small read.
        var steps = await db.Steps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Sequence).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.Id,
                s.Name,
                s.Kind,
                s.Status,
                s.StartedAt,
                s.CompletedAt,
                s.WakeAt,
                s.NextAttemptAt,
                s.Target,
                s.ParallelGroup,
                s.Sequence,

                // Only the steps that wait on something outside bring their (small) result, for the timeline's note.
                Output = s.Kind == StepKind.Call || s.Kind == StepKind.WaitForEvent || s.Kind == StepKind.Invoke ? s.Output : null,
            })
            .ToListAsync(cancellationToken);
        // Driven from the run's steps (an IN over their ids), so the attempts are found by index, not by a scan.
        var attempts = (await db.Attempts.AsNoTracking().Where(a => db.Steps.Where(s => s.RunId == runId).Select(s => s.Id).Contains(a.StepId))
                .Select(a => new { a.StepId, a.Number, a.Status, a.ScheduledAt, a.StartedAt, a.EndedAt })
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.StepId)
            .ToDictionary(g => g.Key, g => g.OrderBy(a => a.Number)
                .Select(a => new AttemptInfo(a.Number, a.Status, Utc(a.ScheduledAt), Utc(a.StartedAt), Utc(a.EndedAt), Error: null, ErrorType: null, StackTrace: null)).ToList());
        var timeline = steps.Select(s => new StepInfo(
                s.Name, s.Kind, s.Status, Utc(s.StartedAt), Utc(s.CompletedAt), Utc(s.WakeAt), Utc(s.NextAttemptAt), Output: null, Error: null,
                attempts.TryGetValue(s.Id, out var list) ? list : [])
        {
            Target = s.Target,
            Note = StepNotes.Describe(s.Kind, s.Status, s.Output),
            ParallelGroup = s.ParallelGroup,
            Sequence = s.Sequence,
        })
            .ToList();
        return RunInfoMapper.ToInfo(run, timeline);
    }

    public async Task<StepInfo?> GetStepAsync(string runId, string step, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Steps.AsNoTracking().Include(s => s.Attempts)
            .FirstOrDefaultAsync(s => s.RunId == runId && s.Name == step, cancellationToken);
        return entity is null ? null : RunInfoMapper.ToInfo(entity);
    }

    public async Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Audit.AsNoTracking().Where(a => a.RunId == runId).OrderByDescending(a => a.Id).ToListAsync(cancellationToken);
        return rows.Select(a => new AuditEntryInfo(Utc(a.At), a.Actor, a.Action, a.RunId, a.Target, a.Detail)).ToList();
    }

    public IReadOnlyList<ServerInfo> Servers() =>
        storage.GetMonitoringApi().Servers()
            .Select(s => new ServerInfo(
                s.Name, s.WorkersCount, Utc(DateTime.SpecifyKind(s.StartedAt, DateTimeKind.Utc)),
                s.Heartbeat is { } beat ? Utc(DateTime.SpecifyKind(beat, DateTimeKind.Utc)) : null))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
