using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Sqlite;

/// <summary>
/// The runs list's search on SQLite, ignoring case: text of three characters or more is looked up in
/// <c>runs_search</c>, an FTS5 table with the trigram tokenizer over every run's id, input, output and error (external content, kept
/// by triggers; see the <c>RunSearch</c>, <c>CaseInsensitiveSearch</c> and <c>SearchOutputsAndErrors</c> migrations), so it reads the index instead
/// of every run. Shorter text has no trigram to look up and is searched by reading the runs with LIKE.
/// </summary>
internal static class SqliteRunSearch
{
    private const int MinIndexedLength = 3;
    private const string Escape = "\\";

    public static IQueryable<RunEntity> Matching(FlowDbContext db, string text) =>
        text.Length >= MinIndexedLength
            ? db.Runs.FromSql($"SELECT * FROM runs WHERE rowid IN (SELECT rowid FROM runs_search WHERE runs_search MATCH {Phrase(text)})")
            : db.Runs.Where(r => EF.Functions.Like(r.Id, Pattern(text), Escape)
                || (r.Input != null && EF.Functions.Like(r.Input, Pattern(text), Escape))
                || (r.Output != null && EF.Functions.Like(r.Output, Pattern(text), Escape))
                || (r.Error != null && EF.Functions.Like(r.Error, Pattern(text), Escape)));

    /// <summary>A LIKE pattern that finds <paramref name="text"/> anywhere, its own wildcards taken literally.</summary>
    private static string Pattern(string text) =>
        $"%{text.Replace(Escape, Escape + Escape, StringComparison.Ordinal).Replace("%", Escape + "%", StringComparison.Ordinal).Replace("_", Escape + "_", StringComparison.Ordinal)}%";

    /// <summary>An FTS5 phrase that matches <paramref name="text"/> literally, quotes included.</summary>
    private static string Phrase(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
