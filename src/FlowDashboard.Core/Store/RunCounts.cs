namespace FlowDashboard.Store;

/// <summary>The SQL of the triggers that keep <c>run_counts</c>, for the migration that creates them.</summary>
internal static class RunCounts
{
    public const string InsertTrigger = "runs_count_insert";
    public const string UpdateTrigger = "runs_count_update";
    public const string DeleteTrigger = "runs_count_delete";

    public const string CreateSql = $"""
        CREATE TRIGGER {InsertTrigger} AFTER INSERT ON runs BEGIN
            INSERT INTO run_counts (Status, Count) VALUES (NEW.Status, 1) ON CONFLICT (Status) DO UPDATE SET Count = Count + 1;
        END;
        CREATE TRIGGER {UpdateTrigger} AFTER UPDATE OF Status ON runs WHEN OLD.Status <> NEW.Status BEGIN
            UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status;
            INSERT INTO run_counts (Status, Count) VALUES (NEW.Status, 1) ON CONFLICT (Status) DO UPDATE SET Count = Count + 1;
        END;
        CREATE TRIGGER {DeleteTrigger} AFTER DELETE ON runs BEGIN
            UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status;
        END;
        INSERT INTO run_counts (Status, Count) SELECT Status, COUNT(*) FROM runs GROUP BY Status;
        """;

    public const string DropSql = $"""
        DROP TRIGGER IF EXISTS {InsertTrigger};
        DROP TRIGGER IF EXISTS {UpdateTrigger};
        DROP TRIGGER IF EXISTS {DeleteTrigger};
        """;
}
