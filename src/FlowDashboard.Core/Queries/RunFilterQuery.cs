using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Queries;

/// <summary>Turns a <see cref="RunFilter"/> and a keyset position into a query; shared by lists, counts and bulk actions.</summary>
internal static class RunFilterQuery
{
    /// <summary>The runs <paramref name="filter"/> matches, in no order (to count them).</summary>
    public static IQueryable<RunEntity> RunsMatching(this FlowDbContext db, RunFilter filter, IStoreProvider store) =>
        filter.Tags is [var first, ..]
            ? from t in db.Tagged(first) join r in db.Matching(filter, store, skipFirstTag: true) on t.RunId equals r.Id select r
            : db.Matching(filter, store, skipFirstTag: false);

    /// <summary>
    /// The runs <paramref name="filter"/> matches in <paramref name="order"/>, after <paramref name="cursor"/> when given:
    /// the keyset order (CreatedAt, Id), read backwards for newest first and forwards for oldest first. Filtered by a
    /// tag, the pages are read in the tag's own index, which carries the run's creation time, so a tag on half a million
    /// runs costs a page no more than a tag on ten.
    /// </summary>
    public static IQueryable<RunEntity> RunsInOrder(this FlowDbContext db, RunFilter filter, IStoreProvider store, RunCursor? cursor, RunOrder order)
    {
        if (filter.Tags is not [var first, ..]) return db.Matching(filter, store, skipFirstTag: false).InOrderAfter(cursor, order);

        var tagged = db.Tagged(first);
        var oldestFirst = order == RunOrder.OldestFirst;
        if (cursor is not null)
        {
            var (at, id) = (cursor.CreatedAt, cursor.RunId);
            tagged = oldestFirst
                ? tagged.Where(t => t.CreatedAt > at || (t.CreatedAt == at && t.RunId.CompareTo(id) > 0))
                : tagged.Where(t => t.CreatedAt < at || (t.CreatedAt == at && t.RunId.CompareTo(id) < 0));
        }

        var joined = from t in tagged join r in db.Matching(filter, store, skipFirstTag: true) on t.RunId equals r.Id select new { t.CreatedAt, t.RunId, Run = r };
        var ordered = oldestFirst
            ? joined.OrderBy(x => x.CreatedAt).ThenBy(x => x.RunId)
            : joined.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.RunId);
        return ordered.Select(x => x.Run);
    }

    private static IQueryable<RunTagEntity> Tagged(this FlowDbContext db, Client.RunTag tag) =>
        db.RunTags.Where(t => t.Key == tag.Key && t.Value == tag.Value);

    private static IQueryable<RunEntity> Matching(this FlowDbContext db, RunFilter filter, IStoreProvider store, bool skipFirstTag)
    {
        // Text search is the provider's: each has an index of its own for it.
        var runs = filter.Search is { Length: > 0 } text ? store.Search(db, text) : db.Runs;
        foreach (var tag in (filter.Tags ?? []).Skip(skipFirstTag ? 1 : 0))
        {
            var (key, value) = (tag.Key, tag.Value);
            runs = runs.Where(r => db.RunTags.Any(t => t.RunId == r.Id && t.Key == key && t.Value == value));
        }

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
    private static IQueryable<RunEntity> InOrderAfter(this IQueryable<RunEntity> runs, RunCursor? cursor, RunOrder order)
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
