using System.Security.Claims;
using FlowDashboard.Client;
using FlowDashboard.Queries;

namespace FlowDashboard.Scheduling;

/// <summary>
/// Cron schedules stored in the store (the source of truth) and run by Hangfire's recurring jobs. Changes
/// check the operate policy, are audited, and take effect in Hangfire at once.
/// </summary>
public interface IScheduleService
{
    /// <summary>Every schedule, by name.</summary>
    Task<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One schedule, or null.</summary>
    Task<ScheduleInfo?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The problems of a schedule by field, empty when it can be saved.</summary>
    /// <param name="name">The new schedule's name; null when an existing one is edited.</param>
    /// <param name="definition">What it would be.</param>
    IReadOnlyDictionary<string, string[]> Validate(string? name, ScheduleDefinition definition);

    /// <summary>A cron expression in words with its next fire times in a zone, for the editor.</summary>
    SchedulePreview Preview(string cron, string timeZone, int count = 5);

    /// <summary>The IANA time zones a schedule can use, by id.</summary>
    IReadOnlyList<string> TimeZones();

    /// <summary>Creates a schedule; it fires from its next fire time on.</summary>
    /// <exception cref="Exceptions.InvalidScheduleException">It is not valid; nothing is saved.</exception>
    Task<ScheduleInfo> CreateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Replaces a schedule's definition; a changed cadence applies from now on.</summary>
    Task<ScheduleInfo> UpdateAsync(ClaimsPrincipal user, string name, ScheduleDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule; the runs it started stay.</summary>
    Task DeleteAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default);

    /// <summary>Stops a schedule firing, keeping it.</summary>
    Task PauseAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default);

    /// <summary>Lets a paused schedule fire again from its next fire time (times missed while paused are skipped).</summary>
    Task ResumeAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default);

    /// <summary>Starts a run now, as the schedule would; returns its id.</summary>
    Task<string> TriggerAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default);

    /// <summary>Starts the run of every fire time in [<paramref name="from"/>, <paramref name="to"/>] that has none (at most 1,000).</summary>
    Task<BackfillResult> BackfillAsync(ClaimsPrincipal user, string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The runs a schedule started, newest first.</summary>
    Task<IReadOnlyList<RunSummaryInfo>> RunsAsync(string name, int max, CancellationToken cancellationToken = default);

    /// <summary>The changes made to a schedule, newest first.</summary>
    Task<IReadOnlyList<AuditEntryInfo>> HistoryAsync(string name, CancellationToken cancellationToken = default);
}
