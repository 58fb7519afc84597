namespace FlowDashboard.Store;

/// <summary>
/// The full-text index behind the runs list's search: the id and input of every run in an FTS5 table with
/// the trigram tokenizer, so finding a piece of text (three characters or more, case-sensitive) reads the
/// index instead of every run. It indexes the runs table itself (external content, by rowid, which SQLite's
/// VACUUM keeps) and is kept by triggers, like <see cref="RunCounts"/>.
/// </summary>
internal static class RunSearch
{
    public const string Table = "runs_search";
    public const string InsertTrigger = "runs_search_insert";
    public const string UpdateTrigger = "runs_search_update";
    public const string DeleteTrigger = "runs_search_delete";

    /// <summary>Shorter text has no trigram to look up: it is searched by reading the runs.</summary>
    public const int MinIndexedLength = 3;

    public const string CreateSql = $"""
        CREATE VIRTUAL TABLE {Table} USING fts5(Id, Input, content = 'runs', tokenize = 'trigram case_sensitive 1');
        CREATE TRIGGER {InsertTrigger} AFTER INSERT ON runs BEGIN
            INSERT INTO {Table} (rowid, Id, Input) VALUES (NEW.rowid, NEW.Id, NEW.Input);
        END;
        CREATE TRIGGER {UpdateTrigger} AFTER UPDATE OF Id, Input ON runs BEGIN
            INSERT INTO {Table} ({Table}, rowid, Id, Input) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input);
            INSERT INTO {Table} (rowid, Id, Input) VALUES (NEW.rowid, NEW.Id, NEW.Input);
        END;
        CREATE TRIGGER {DeleteTrigger} AFTER DELETE ON runs BEGIN
            INSERT INTO {Table} ({Table}, rowid, Id, Input) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input);
        END;
        INSERT INTO {Table} ({Table}) VALUES ('rebuild');
        """;

    public const string DropSql = $"""
        DROP TRIGGER IF EXISTS {InsertTrigger};
        DROP TRIGGER IF EXISTS {UpdateTrigger};
        DROP TRIGGER IF EXISTS {DeleteTrigger};
        DROP TABLE IF EXISTS {Table};
        """;

    /// <summary>An FTS5 phrase that matches <paramref name="text"/> literally, quotes included.</summary>
    public static string Phrase(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
