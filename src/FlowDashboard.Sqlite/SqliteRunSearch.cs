using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Sqlite;

/// <summary>
/// The runs list's search on SQLite: text of three characters or more is looked up in <c>runs_search</c>, an FTS5
/// table with the trigram tokenizer over every run's id and input (external content, kept by triggers; see the
/// <c>RunSearch</c> migration), so it reads the index instead of every run. Shorter text has no trigram to look up
/// and is searched by reading the runs. Both compare case-sensitively.
/// </summary>
internal static class SqliteRunSearch
{
    private const int MinIndexedLength = 3;

    public static IQueryable<RunEntity> Matching(FlowDbContext db, string text) =>
        text.Length >= MinIndexedLength
            ? db.Runs.FromSql($"SELECT * FROM runs WHERE rowid IN (SELECT rowid FROM runs_search WHERE runs_search MATCH {Phrase(text)})")
            : db.Runs.Where(r => r.Id.Contains(text) || (r.Input != null && r.Input.Contains(text)));

    /// <summary>An FTS5 phrase that matches <paramref name="text"/> literally, quotes included.</summary>
    private static string Phrase(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
