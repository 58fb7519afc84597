using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Scheduling;

/// <summary>
/// The <see cref="IScheduleService"/>: validates, authorizes, commits with its audit record (through the store's one
/// writer, with the schedule's name locked, so two operators on two nodes never both create or half-edit it), then
/// tells Hangfire.
/// </summary>
internal sealed class ScheduleService(
    IDbContextFactory<FlowDbContext> contexts,
    CommitQueue writes,
    WorkflowRegistry registry,
    ScheduleRegistrar registrar,
    ScheduleFirer firer,
    OperatorGate gate,
    TimeProvider time) : IScheduleService
{
    private const int MaxBackfill = 1000;

    public async Task<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var schedules = await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var last = await LastRunsAsync(db, schedules.Select(s => s.Name).ToList(), cancellationToken);
        return schedules.Select(s => ToInfo(s, last.GetValueOrDefault(s.Name))).ToList();
    }

    public async Task<ScheduleInfo?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (schedule is null) return null;
        var last = await LastRunsAsync(db, [name], cancellationToken);
        return ToInfo(schedule, last.GetValueOrDefault(name));
    }

    public IReadOnlyDictionary<string, string[]> Validate(string? name, ScheduleDefinition definition) =>
        ScheduleRules.Validate(name, definition, time.GetUtcNow(), InputCheck);

    public SchedulePreview Preview(string cron, string timeZone, int count = 5) => ScheduleRules.Preview(cron, timeZone, time.GetUtcNow(), count);

    public IReadOnlyList<string> TimeZones() => ScheduleRules.TimeZones();

    public async Task<ScheduleInfo> CreateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "create schedules");
        Check(Validate(name, definition));
        var now = time.GetUtcNow().UtcDateTime;
        var schedule = new ScheduleEntity
        {
            Name = name,
            Workflow = definition.Workflow,
            Cron = definition.Cron.Trim(),
            TimeZone = definition.TimeZone,
            Input = Canonical(definition.Input),
            Enabled = definition.Enabled,
            Misfire = definition.Misfire,
            CreatedAt = now,
            UpdatedAt = now,
            LastFireAt = now,
        };
        await writes.WriteAsync(
            async batch =>
            {
                var db = LockName(batch, name);
                if (await db.Schedules.AnyAsync(s => s.Name == name, cancellationToken)) throw NameTaken(name);
                db.Schedules.Add(schedule);
                Audit(db, actor, "create-schedule", name, $"{definition.Workflow} at '{definition.Cron}' ({definition.TimeZone})", now);
                await db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);

        registrar.Sync(schedule);
        return (await GetAsync(name, cancellationToken))!;
    }

    public async Task<ScheduleInfo> UpdateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "edit schedules");
        Check(Validate(null, definition));
        var schedule = await ChangeAsync(name, actor, "edit-schedule", s => Diff(s, definition), (s, now) =>
        {
            s.Workflow = definition.Workflow;
            s.Cron = definition.Cron.Trim();
            s.TimeZone = definition.TimeZone;
            s.Input = Canonical(definition.Input);
            s.Misfire = definition.Misfire;

            // A new cadence, or a schedule set going again, starts from now: no old fire time comes due.
            if (definition.Enabled && !s.Enabled) s.LastFireAt = now;
            s.Enabled = definition.Enabled;
        }, cancellationToken);
        registrar.Sync(schedule);
        return (await GetAsync(name, cancellationToken))!;
    }

    public async Task DeleteAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "delete schedules");
        await writes.WriteAsync(
            async batch =>
            {
                var db = LockName(batch, name);
                if (await db.Schedules.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken) == 0) throw new ScheduleNotFoundException(name);
                Audit(db, actor, "delete-schedule", name, null, batch.Now);
                await db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);

        registrar.Remove(name);
    }

    public async Task PauseAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "pause schedules");
        registrar.Sync(await ChangeAsync(name, actor, "pause-schedule", _ => null, (s, _) => s.Enabled = false, cancellationToken));
    }

    public async Task ResumeAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "resume schedules");
        registrar.Sync(await ChangeAsync(name, actor, "resume-schedule", _ => null, (s, now) =>
        {
            if (!s.Enabled) s.LastFireAt = now;
            s.Enabled = true;
        }, cancellationToken));
    }

    public async Task<string> TriggerAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "trigger schedules");
        var schedule = await FindAsync(name, cancellationToken);
        var now = time.GetUtcNow();
        // A manual run stands for no fire time: two triggers within one second are two runs, so its id has a suffix of its own.
        var runId = $"{ScheduleFirer.RunIdFor(name, now)}-manual-{Guid.NewGuid().ToString("N")[..8]}";
        await firer.FireAsync(schedule, now, runId, cancellationToken);
        await AuditAsync(actor, "trigger-schedule", name, $"run {runId}", cancellationToken);
        return runId;
    }

    public async Task<BackfillResult> BackfillAsync(ClaimsPrincipal user, string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var actor = await gate.AuthorizeAsync(user, "backfill schedules");
        var schedule = await FindAsync(name, cancellationToken);
        if (to < from) throw new InvalidScheduleException(new Dictionary<string, string[]> { ["to"] = ["The end of the range is before its start."] });
        if (to > time.GetUtcNow()) throw new InvalidScheduleException(new Dictionary<string, string[]> { ["to"] = ["A backfill covers past fire times only."] });
        if (!CronText.TryParse(schedule.Cron, out var cron, out var error)) throw new InvalidScheduleException(new Dictionary<string, string[]> { ["cron"] = [error!] });
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var times = cron!.Between(from.AddTicks(-1), to, zone).Take(MaxBackfill + 1).ToList();
        if (times.Count > MaxBackfill)
        {
            throw new InvalidScheduleException(new Dictionary<string, string[]> { ["from"] = [$"The range holds more than {MaxBackfill:N0} fire times: backfill a shorter one."] });
        }

        var started = 0;
        foreach (var fireTime in times)
        {
            if (await firer.FireAsync(schedule, fireTime, ScheduleFirer.RunIdFor(name, fireTime), cancellationToken)) started++;
        }

        await AuditAsync(actor, "backfill-schedule", name, $"{from:O} to {to:O}: {started} run(s) started", cancellationToken);
        return new BackfillResult(started, times.Count - started);
    }

    public async Task<IReadOnlyList<RunSummaryInfo>> RunsAsync(string name, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking().Where(r => r.SourceRef == name && r.Source == RunSource.Schedule)
            .OrderByDescending(r => r.CreatedAt).Take(max).ToListAsync(cancellationToken);
        return rows.Select(RunInfoMapper.ToSummary).ToList();
    }

    public async Task<IReadOnlyList<AuditEntryInfo>> HistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Audit.AsNoTracking().Where(a => a.RunId == null && a.Target == name).OrderByDescending(a => a.Id).Take(100).ToListAsync(cancellationToken);
        return rows.Select(a => new AuditEntryInfo(Utc(a.At), a.Actor, a.Action, null, a.Target, a.Detail)).ToList();
    }

    private ScheduleInfo ToInfo(ScheduleEntity s, RunSummaryInfo? last)
    {
        var parsed = CronText.TryParse(s.Cron, out var cron, out _);
        var zoneKnown = TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out var zone);
        var next = s.Enabled && parsed && zoneKnown ? cron!.NextAfter(time.GetUtcNow(), zone!) : null;
        var definition = new ScheduleDefinition
        {
            Workflow = s.Workflow,
            Cron = s.Cron,
            TimeZone = s.TimeZone,
            Input = s.Input ?? "null",
            Enabled = s.Enabled,
            Misfire = s.Misfire,
        };
        return new ScheduleInfo(s.Name, definition, parsed ? cron!.Describe() : s.Cron, next, last, Utc(s.CreatedAt), Utc(s.UpdatedAt));
    }

    private static async Task<Dictionary<string, RunSummaryInfo>> LastRunsAsync(FlowDbContext db, List<string> names, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, RunSummaryInfo>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var run = await db.Runs.AsNoTracking().Where(r => r.SourceRef == name && r.Source == RunSource.Schedule)
                .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (run is not null) last[name] = RunInfoMapper.ToSummary(run);
        }

        return last;
    }

    private async Task<ScheduleEntity> ChangeAsync(
        string name, string actor, string action, Func<ScheduleEntity, string?> detail, Action<ScheduleEntity, DateTime> change, CancellationToken cancellationToken)
    {
        return await writes.WriteAsync(
            async batch =>
            {
                var db = LockName(batch, name);
                var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Name == name, cancellationToken) ?? throw new ScheduleNotFoundException(name);
                var described = detail(schedule);
                change(schedule, batch.Now);
                schedule.UpdatedAt = batch.Now;
                Audit(db, actor, action, name, described, batch.Now);
                await db.SaveChangesAsync(cancellationToken);
                return schedule;
            },
            cancellationToken);
    }

    /// <summary>What an edit changes, field by field, before and after (<c>cron: '0 2 * * *' → '0 3 * * *'</c>); "no change" for none.</summary>
    internal static string Diff(ScheduleEntity before, ScheduleDefinition after)
    {
        var changes = new List<string>();
        void Compare(string field, string? old, string? now)
        {
            if (!string.Equals(old, now, StringComparison.Ordinal)) changes.Add($"{field}: {old ?? "none"} → {now ?? "none"}");
        }

        Compare("workflow", before.Workflow, after.Workflow);
        Compare("cron", $"'{before.Cron}'", $"'{after.Cron.Trim()}'");
        Compare("time zone", before.TimeZone, after.TimeZone);
        Compare("input", before.Input ?? "null", Canonical(after.Input));
        Compare("misfire", before.Misfire.ToString(), after.Misfire.ToString());
        Compare("enabled", before.Enabled ? "yes" : "no", after.Enabled ? "yes" : "no");
        return changes.Count == 0 ? "no change" : string.Join("; ", changes);
    }

    /// <summary>Locks a schedule's name until the write commits: a read of the schedule and the write after it see no other writer between them.</summary>
    private static FlowDbContext LockName(WriteBatch batch, string name)
    {
        batch.Commands.LockKey($"schedule\u001f{name}");
        return batch.Db;
    }

    /// <summary>A registered workflow's input check: its binder's problems, each prefixed with its member.</summary>
    private Func<JsonElement, IReadOnlyList<string>>? InputCheck(string workflow) =>
        registry.All.FirstOrDefault(w => w.Name == workflow) is not { } definition
            ? null
            : input =>
            {
                try
                {
                    definition.BindInput(input);
                    return [];
                }
                catch (InvalidWorkflowInputException ex)
                {
                    return ex.Errors.SelectMany(e => e.Value.Select(m => e.Key.Length == 0 ? m : $"{e.Key}: {m}")).ToArray();
                }
            };

    private static InvalidScheduleException NameTaken(string name) =>
        new(new Dictionary<string, string[]> { ["name"] = [$"A schedule named '{name}' exists already."] });

    private async Task<ScheduleEntity> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken) ?? throw new ScheduleNotFoundException(name);
    }

    private Task AuditAsync(string actor, string action, string name, string? detail, CancellationToken cancellationToken) =>
        writes.WriteAsync(
            async batch =>
            {
                Audit(batch.Db, actor, action, name, detail, batch.Now);
                await batch.Db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);

    private static void Audit(FlowDbContext db, string actor, string action, string name, string? detail, DateTime at) =>
        db.Audit.Add(new AuditEntity { At = at, Actor = actor, Action = action, Target = name, Detail = detail });

    private static void Check(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new InvalidScheduleException(errors);
    }

    private static string Canonical(string? input)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(input) ? "null" : input);
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
