using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;

namespace FlowDashboard.Console.Tests.Components.Fakes;

/// <summary>
/// An <see cref="IScheduleService"/> that checks and previews with the real rules (<see cref="ScheduleRules"/>, workflows
/// from the fake query service) and records the schedules saved instead of storing them. Only the input's binding is
/// simplified: a workflow's input must be a JSON object with the members listed in <see cref="RequiredInput"/>.
/// </summary>
public sealed class FakeScheduleService(FakeRunQueryService queries, TimeProvider time) : IScheduleService
{
    private readonly Lock gate = new();
    private readonly List<ScheduleDefinition> validated = [];
    private readonly List<(string Name, ScheduleDefinition Definition)> created = [];
    private readonly List<(string Name, ScheduleDefinition Definition)> updated = [];

    /// <summary>The members each workflow's input must have, by workflow; a workflow not listed takes any input.</summary>
    public Dictionary<string, string[]> RequiredInput { get; } = [];

    /// <summary>Names that exist already: creating one fails only when saved, as when another operator took it meanwhile.</summary>
    public HashSet<string> Taken { get; } = new(StringComparer.Ordinal);

    /// <summary>Every definition checked by <see cref="Validate"/>, in order: what the editor held at each check.</summary>
    public IReadOnlyList<ScheduleDefinition> Validated
    {
        get
        {
            lock (gate) return [.. validated];
        }
    }

    /// <summary>The schedules created, in order.</summary>
    public IReadOnlyList<(string Name, ScheduleDefinition Definition)> Created
    {
        get
        {
            lock (gate) return [.. created];
        }
    }

    /// <summary>The schedules updated, in order.</summary>
    public IReadOnlyList<(string Name, ScheduleDefinition Definition)> Updated
    {
        get
        {
            lock (gate) return [.. updated];
        }
    }

    public Task<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<ScheduleInfo>>(created.Select(c => Info(c.Name, c.Definition)).ToList());
        }
    }

    public Task<ScheduleInfo?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(created.Where(c => c.Name == name).Select(c => Info(c.Name, c.Definition)).FirstOrDefault());
        }
    }

    public IReadOnlyDictionary<string, string[]> Validate(string? name, ScheduleDefinition definition)
    {
        lock (gate) validated.Add(definition);
        return ScheduleRules.Validate(name, definition, time.GetUtcNow(), InputCheck);
    }

    public SchedulePreview Preview(string cron, string timeZone, int count = 5) => ScheduleRules.Preview(cron, timeZone, time.GetUtcNow(), count);

    public IReadOnlyList<string> TimeZones() => ScheduleRules.TimeZones();

    public Task<ScheduleInfo> CreateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        Check(Validate(name, definition));
        lock (gate)
        {
            if (Taken.Contains(name) || created.Any(c => c.Name == name))
            {
                throw new InvalidScheduleException(new Dictionary<string, string[]> { ["name"] = [$"A schedule named '{name}' exists already."] });
            }

            created.Add((name, definition));
        }

        return Task.FromResult(Info(name, definition));
    }

    public Task<ScheduleInfo> UpdateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        Check(Validate(null, definition));
        lock (gate) updated.Add((name, definition));
        return Task.FromResult(Info(name, definition));
    }

    public Task DeleteAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PauseAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task ResumeAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> TriggerAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BackfillResult> BackfillAsync(ClaimsPrincipal user, string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<RunSummaryInfo>> RunsAsync(string name, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunSummaryInfo>>([]);

    public Task<IReadOnlyList<AuditEntryInfo>> HistoryAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntryInfo>>([]);

    /// <summary>A schedule as the real service would describe it, now.</summary>
    public ScheduleInfo Info(string name, ScheduleDefinition definition)
    {
        var preview = Preview(definition.Cron, definition.TimeZone, 1);
        var now = time.GetUtcNow();
        return new ScheduleInfo(name, definition, preview.Description ?? definition.Cron,
            definition.Enabled && preview.NextFireTimes is [var next, ..] ? next : null, null, now, now);
    }

    private static void Check(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new InvalidScheduleException(errors);
    }

    // The one simplification: a workflow's input must be an object with the members RequiredInput lists.
    private Func<JsonElement, IReadOnlyList<string>>? InputCheck(string workflow) =>
        !queries.Workflows().Any(w => w.Name == workflow)
            ? null
            : input => RequiredInput.GetValueOrDefault(workflow, [])
                .Where(member => input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(member, out _))
                .Select(member => $"{member}: The {member} field is required.")
                .ToArray();
}
