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

    private static readonly RunStatus[] Ended = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled];

    /// <summary>Where the overview stops counting the backlog and the scheduled retries.</summary>
    public const int MaxCounted = 10_000;

    /// <summary>How many completed runs the overview reads for its duration percentiles.</summary>
    private const int MaxDurationsRead = 20_000;

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

    public EventPayloadInfo? DescribeEventPayload(string? stepInput) =>
        WaitPayload.TypeOf(stepInput) is { } type ? new EventPayloadInfo(TypeShape.NameOf(type), TypeShape.Of(type), InputTemplate.For(type)) : null;

    public IReadOnlyDictionary<string, string[]> ValidateEventPayload(string? stepInput, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return new Dictionary<string, string[]> { [""] = [$"This is not valid JSON: {ex.Message}"] };
        }

        // The engine's own binding, so what passes here is what a notify delivers.
        using (document) return WaitPayload.Bind(stepInput, document.RootElement, out _);
    }

    public async Task<RunPage> ListRunsAsync(RunFilter filter, string? cursor, int pageSize, RunOrder order = RunOrder.NewestFirst, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!Enum.IsDefined(order)) throw new ArgumentOutOfRangeException(nameof(order), order, "Not a run order.");
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var after = cursor is null ? null : RunCursor.Decode(cursor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // One row more than asked tells whether there is a next page.
        var rows = await db.RunsInOrder(filter, store, after, order).Take(pageSize + 1)
            .Select(r => new { r.Id, r.Workflow, r.Status, r.Source, r.CreatedAt, r.StartedAt, r.CompletedAt, r.DueAt, r.Error, r.SourceRef, r.ScheduledFor, r.ThrottledUntil, r.Held })
            .ToListAsync(cancellationToken);
        var runs = rows.Take(pageSize)
            .Select(r => new RunSummaryInfo(r.Id, r.Workflow, r.Status, r.Source, Utc(r.CreatedAt), Utc(r.StartedAt), Utc(r.CompletedAt), Utc(r.DueAt), r.Error)
            {
                SourceRef = r.SourceRef,
                ScheduledFor = Utc(r.ScheduledFor),
                ThrottledUntil = Utc(r.ThrottledUntil),
                Held = r.Held,
            })
            .ToList();
        var next = rows.Count > pageSize ? new RunCursor(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].Id).Encode() : null;
        return new RunPage(await WithContextAsync(db, runs, cancellationToken), next);
    }

    /// <summary>
    /// Adds to each row the step its run is at (or failed at), who cancelled it and its tags: three reads for the page, by
    /// the steps' (RunId, Sequence), the audit's (RunId, At) and the tags' (RunId, Key) indexes.
    /// </summary>
    private static async Task<IReadOnlyList<RunSummaryInfo>> WithContextAsync(FlowDbContext db, List<RunSummaryInfo> runs, CancellationToken cancellationToken)
    {
        var open = runs.Where(r => r.Status is not (RunStatus.Completed or RunStatus.Cancelled)).Select(r => r.RunId).ToList();
        var cancelled = runs.Where(r => r.Status == RunStatus.Cancelled).Select(r => r.RunId).ToList();
        var steps = open.Count == 0 ? [] : await db.Steps.AsNoTracking()
            .Where(s => open.Contains(s.RunId) && s.Kind != StepKind.FailureHandler
                && (s.Status == StepStatus.Running || s.Status == StepStatus.Sleeping || s.Status == StepStatus.Waiting || s.Status == StepStatus.Pending || s.Status == StepStatus.Failed))
            .Select(s => new { s.RunId, s.Sequence, s.Name, s.Kind, s.Status, s.Target, s.WakeAt, s.NextAttemptAt })
            .ToListAsync(cancellationToken);
        var at = steps.GroupBy(s => s.RunId).ToDictionary(
            g => g.Key,
            g => g.OrderByDescending(s => s.Status == StepStatus.Failed).ThenByDescending(s => s.Sequence)
                .Select(s => new StepContext(s.Name, s.Kind, s.Status, s.Target, Utc(s.Status == StepStatus.Running ? s.NextAttemptAt : s.WakeAt)))
                .First(),
            StringComparer.Ordinal);
        var cancels = cancelled.Count == 0 ? [] : await db.Audit.AsNoTracking()
            .Where(a => a.RunId != null && cancelled.Contains(a.RunId) && a.Action == "cancel")
            .Select(a => new { a.RunId, a.Actor, a.Detail, a.Id })
            .ToListAsync(cancellationToken);
        var by = cancels.GroupBy(c => c.RunId!).ToDictionary(g => g.Key, g => g.MaxBy(c => c.Id)!, StringComparer.Ordinal);
        var ids = runs.Select(r => r.RunId).ToList();
        var tags = (await db.RunTags.AsNoTracking().Where(t => ids.Contains(t.RunId)).Select(t => new { t.RunId, t.Key, t.Value }).ToListAsync(cancellationToken))
            .GroupBy(t => t.RunId)
            .ToDictionary(g => g.Key, g => RunTag.ByKey(g.Select(t => (t.Key, t.Value))), StringComparer.Ordinal);
        return runs.Select(r => r with
        {
            Tags = tags.GetValueOrDefault(r.RunId) ?? RunTag.None,
            Step = at.GetValueOrDefault(r.RunId),
            CancelledBy = by.GetValueOrDefault(r.RunId)?.Actor,
            CancelDetail = by.GetValueOrDefault(r.RunId)?.Detail,
        })
            .ToList();
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

    public async Task<IReadOnlyList<ThroughputPoint>> ThroughputAsync(TimeSpan window, TimeSpan? bucket = null, CancellationToken cancellationToken = default)
    {
        var minutes = Math.Max(1, (int)(bucket ?? TimeSpan.FromMinutes(1)).TotalMinutes);

        // Bars of an hour or more are counted by the hour, a week being 168 groups rather than 10,080; the bars then
        // start on whole hours, and a whole number of hours long.
        var byHour = minutes >= 60;
        if (byHour) minutes -= minutes % 60;
        var unit = byHour ? TimeSpan.TicksPerHour : TimeSpan.TicksPerMinute;
        var now = time.GetUtcNow().UtcDateTime;
        var thisUnit = new DateTime(now.Ticks - (now.Ticks % unit), DateTimeKind.Utc);
        var buckets = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes / minutes));
        var first = thisUnit - TimeSpan.FromMinutes((buckets * minutes) - (unit / TimeSpan.TicksPerMinute));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Grouped in the database: a busy hour is hundreds of thousands of runs, a chart is a few dozen points.
        var ended = db.Runs.Where(r => Final.Contains(r.Status) && r.CompletedAt >= first);
        var groups = byHour
            ? await ended.GroupBy(r => new { r.CompletedAt!.Value.Month, r.CompletedAt.Value.Day, r.CompletedAt.Value.Hour, r.Status })
                .Select(g => new { g.Key.Month, g.Key.Day, g.Key.Hour, Minute = 0, g.Key.Status, Count = g.Count() })
                .ToListAsync(cancellationToken)
            : await ended.GroupBy(r => new { r.CompletedAt!.Value.Month, r.CompletedAt.Value.Day, r.CompletedAt.Value.Hour, r.CompletedAt.Value.Minute, r.Status })
                .Select(g => new { g.Key.Month, g.Key.Day, g.Key.Hour, g.Key.Minute, g.Key.Status, Count = g.Count() })
                .ToListAsync(cancellationToken);
        var completed = new int[buckets];
        var failed = new int[buckets];
        foreach (var g in groups)
        {
            // The group's minute in the window (the year is the one that puts it there).
            var at = new DateTime(first.Year, g.Month, g.Day, g.Hour, g.Minute, 0, DateTimeKind.Utc);
            if (at < first) at = at.AddYears(1);
            var index = (int)((at - first).TotalMinutes / minutes);
            if (index < 0 || index >= buckets) continue;
            if (g.Status == RunStatus.Completed) completed[index] += g.Count;
            else failed[index] += g.Count;
        }

        var length = TimeSpan.FromMinutes(minutes);
        return Enumerable.Range(0, buckets).Select(i => new ThroughputPoint(Utc(first + (length * i)), completed[i], failed[i], length)).ToList();
    }

    public async Task<StoreInfo> StoreAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The oldest run is the first entry of the (CreatedAt, Id) index; the count is the counters' sum (run_counts).
        var oldest = await db.Runs.OrderBy(r => r.CreatedAt).Select(r => (DateTime?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var runs = (await CountByStatusAsync(cancellationToken)).Values.Sum();
        return new StoreInfo(await store.SizeAsync(db, cancellationToken), runs, Utc(oldest));
    }

    public async Task<OverviewStats> OverviewAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var from = since.UtcDateTime;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Counted per registered workflow on the (Workflow, CreatedAt) index: grouping a week's runs by workflow would read each row.
        var started = new List<(string Workflow, int Count)>();
        foreach (var workflow in registry.All.Select(w => w.Name))
        {
            var count = await db.Runs.CountAsync(r => r.Workflow == workflow && r.CreatedAt >= from, cancellationToken);
            if (count > 0) started.Add((workflow, count));
        }

        var ended = await db.Runs.Where(r => Ended.Contains(r.Status) && r.CompletedAt >= from).GroupBy(r => new { r.Workflow, r.Status })
            .Select(g => new { g.Key.Workflow, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);

        // Durations from the newest completions: percentiles need the values, and a window's newest tens of thousands tell them.
        var durations = await db.Runs.Where(r => r.Status == RunStatus.Completed && r.CompletedAt >= from && r.StartedAt != null)
            .OrderByDescending(r => r.CompletedAt).Take(MaxDurationsRead)
            .Select(r => new { r.Workflow, StartedAt = r.StartedAt!.Value, CompletedAt = r.CompletedAt!.Value }).ToListAsync(cancellationToken);
        var byWorkflow = durations.GroupBy(d => d.Workflow).ToDictionary(g => g.Key, g => g.Select(d => d.CompletedAt - d.StartedAt).Order().ToArray());

        int Ends(string workflow, RunStatus status) => ended.Where(e => e.Workflow == workflow && e.Status == status).Sum(e => e.Count);
        var workflows = started.Select(s => s.Workflow).Concat(ended.Select(e => e.Workflow)).Distinct().Order(StringComparer.Ordinal)
            .Select(w =>
            {
                var sorted = byWorkflow.GetValueOrDefault(w) ?? [];
                return new WorkflowStats(
                    w, started.Where(s => s.Workflow == w).Sum(s => s.Count), Ends(w, RunStatus.Completed), Ends(w, RunStatus.Failed), Ends(w, RunStatus.Cancelled),
                    Percentile(sorted, 0.50), Percentile(sorted, 0.95));
            })
            .ToList();

        var (backlog, oldest) = await BacklogAsync(db, now, cancellationToken);
        var retries = await db.Runs
            .Where(r => r.DueAt > now && db.Steps.Any(s => s.RunId == r.Id && s.Status == StepStatus.Running && s.NextAttemptAt > now))
            .OrderBy(r => r.DueAt).Take(MaxCounted).CountAsync(cancellationToken);
        return new OverviewStats(since, workflows, backlog, oldest, retries);
    }

    /// <summary>
    /// The runs due at <paramref name="now"/> that no worker has taken yet (flow control's held runs left out), counted
    /// up to <see cref="MaxCounted"/>, and when the longest-waiting of them became due: the overview's backlog, and the
    /// health check's.
    /// </summary>
    internal static async Task<(int Count, DateTimeOffset? OldestDueAt)> BacklogAsync(FlowDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        // Counted up to a cap: a backlog that large is the news, and its exact size would cost a read of every run in it.
        var due = db.Runs.Where(r => r.DueAt <= now && (r.LeaseOwner == null || r.LeaseExpiresAt < now) && (r.ThrottledUntil == null || r.ThrottledUntil <= now));
        // Taken in due order (the DueAt index's), so the capped count reads the same rows each time.
        var count = await due.OrderBy(r => r.DueAt).Take(MaxCounted).CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await due.MinAsync(r => r.DueAt, cancellationToken);
        return (count, Utc(oldest));
    }

    /// <summary>The value below which <paramref name="fraction"/> of <paramref name="sorted"/> lies (nearest rank); null for none.</summary>
    private static TimeSpan? Percentile(TimeSpan[] sorted, double fraction) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    public async Task<IReadOnlyList<FailureGroup>> FailureGroupsAsync(DateTimeOffset since, int maxRuns = 10_000, CancellationToken cancellationToken = default)
    {
        var from = since.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Failed && r.CompletedAt >= from)
            .OrderByDescending(r => r.CompletedAt).Take(maxRuns)
            .Select(r => new
            {
                r.Id,
                r.Workflow,
                r.ErrorType,
                r.Error,
                CompletedAt = r.CompletedAt!.Value,
                Step = db.Steps.Where(s => s.RunId == r.Id && s.Status == StepStatus.Failed && s.Kind != StepKind.FailureHandler)
                    .OrderByDescending(s => s.Sequence).Select(s => s.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        // Rows come newest first: a group's first row is its last failure.
        return rows.GroupBy(r => (r.Workflow, r.Step, r.ErrorType))
            .Select(g => new FailureGroup(
                g.Key.Workflow, g.Key.Step, g.Key.ErrorType, g.Count(), Utc(g.Min(r => r.CompletedAt)), Utc(g.First().CompletedAt), g.First().Error, g.First().Id))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LastSeen)
            .ToList();
    }

    public async Task<RunInfo?> GetTimelineAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The run, its steps and their attempts from one snapshot: a timeline never mixes two commits.
        await using var snapshot = await store.BeginSnapshotAsync(db, cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
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
        return RunInfoMapper.ToInfo(run, timeline, registry.Find(run.Workflow)) with { Reruns = await RunInfoMapper.RerunsOfAsync(db, runId, cancellationToken) };
    }

    public async Task<IReadOnlyList<PauseInfo>> PausesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pauses = await db.PausedWorkflows.AsNoTracking().OrderBy(p => p.Workflow).ThenBy(p => p.Key).ToListAsync(cancellationToken);
        var infos = new List<PauseInfo>(pauses.Count);
        foreach (var pause in pauses)
        {
            // From the held runs' own index: a pause holding a million runs counts them there, not in the runs table.
            var key = pause.Key;
            var held = await db.Runs.CountAsync(r => r.Held && r.Workflow == pause.Workflow && (key == "" || r.ConcurrencyKey == key), cancellationToken);
            infos.Add(new PauseInfo(pause.Workflow, key.Length == 0 ? null : key, Utc(pause.PausedAt), pause.PausedBy, held));
        }

        return infos;
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
