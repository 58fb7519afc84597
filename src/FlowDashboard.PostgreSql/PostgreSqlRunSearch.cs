using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.PostgreSql;

/// <summary>
/// The runs list's search on PostgreSQL: <c>ILIKE '%text%'</c> over id, input, output and error, ignoring case, answered from the
/// trigram (pg_trgm) indexes the migration makes for text of three characters or more.
/// </summary>
internal static class PostgreSqlRunSearch
{
    public static IQueryable<RunEntity> Matching(FlowDbContext db, string text)
    {
        var pattern = $"%{text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)}%";
        return db.Runs.Where(r => EF.Functions.ILike(r.Id, pattern, @"\")
            || (r.Input != null && EF.Functions.ILike(r.Input, pattern, @"\"))
            || (r.Output != null && EF.Functions.ILike(r.Output, pattern, @"\"))
            || (r.Error != null && EF.Functions.ILike(r.Error, pattern, @"\")));
    }
}
