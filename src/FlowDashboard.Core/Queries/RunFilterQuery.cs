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
        if (!string.IsNullOrEmpty(filter.Workflow)) runs = runs.Where(r => r.Workflow == filter.Workflow);
        if (filter.Statuses is { Count: > 0 } statuses) runs = runs.Where(r => statuses.Contains(r.Status));
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

        return runs;
    }

    /// <summary>Newest first, after <paramref name="cursor"/> when given: the index order (CreatedAt, Id) read backwards.</summary>
    public static IQueryable<RunEntity> NewestAfter(this IQueryable<RunEntity> runs, RunCursor? cursor)
    {
        if (cursor is not null)
        {
            var (at, id) = (cursor.CreatedAt, cursor.RunId);
            runs = runs.Where(r => r.CreatedAt < at || (r.CreatedAt == at && r.Id.CompareTo(id) < 0));
        }

        return runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }
}
