using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Queries;

/// <summary>Turns a <see cref="RunFilter"/> and a keyset position into a query; shared by lists, counts and bulk actions.</summary>
internal static class RunFilterQuery
{
    public static IQueryable<RunEntity> RunsMatching(this FlowDbContext db, RunFilter filter, IStoreProvider store)
    {
        // Text search is the provider's: each has an index of its own for it.
        var runs = filter.Search is { Length: > 0 } text ? store.Search(db, text) : db.Runs;
        if (filter.RunIds is { } ids) runs = runs.Where(r => ids.Contains(r.Id));
        if (!string.IsNullOrEmpty(filter.Workflow)) runs = runs.Where(r => r.Workflow == filter.Workflow);
        if (filter.Statuses is { Count: > 0 } statuses) runs = runs.Where(r => statuses.Contains(r.Status));
        if (!string.IsNullOrEmpty(filter.ErrorType)) runs = runs.Where(r => r.ErrorType == filter.ErrorType);
        if (!string.IsNullOrEmpty(filter.FailedStep))
        {
            var step = filter.FailedStep;
            runs = runs.Where(r => db.Steps.Any(s => s.RunId == r.Id && s.Name == step && s.Status == StepStatus.Failed));
        }

        if (filter.CreatedFrom is { } from)
        {
            var utc = from.UtcDateTime;
            runs = runs.Where(r => r.CreatedAt >= utc);
        }

        if (filter.CreatedTo is { } to)
        {
            var utc = to.UtcDateTime;
            runs = runs.Where(r => r.CreatedAt < utc);
        }

        if (filter.EndedFrom is { } endedFrom)
        {
            var utc = endedFrom.UtcDateTime;
            runs = runs.Where(r => r.CompletedAt >= utc);
        }

        if (filter.EndedTo is { } endedTo)
        {
            var utc = endedTo.UtcDateTime;
            runs = runs.Where(r => r.CompletedAt < utc);
        }

        return runs;
    }

    /// <summary>
    /// In <paramref name="order"/>, after <paramref name="cursor"/> when given: the index order (CreatedAt, Id), read
    /// backwards for newest first and forwards for oldest first.
    /// </summary>
    public static IQueryable<RunEntity> InOrderAfter(this IQueryable<RunEntity> runs, RunCursor? cursor, RunOrder order)
    {
        if (order == RunOrder.OldestFirst)
        {
            if (cursor is not null)
            {
                var (at, id) = (cursor.CreatedAt, cursor.RunId);
                runs = runs.Where(r => r.CreatedAt > at || (r.CreatedAt == at && r.Id.CompareTo(id) > 0));
            }

            return runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id);
        }

        if (cursor is not null)
        {
            var (at, id) = (cursor.CreatedAt, cursor.RunId);
            runs = runs.Where(r => r.CreatedAt < at || (r.CreatedAt == at && r.Id.CompareTo(id) < 0));
        }

        return runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }
}
