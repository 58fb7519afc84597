using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RunCountShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The table is rebuilt for its new key, by hand: EF Core would rebuild it after the triggers that name it
            // are back. Its triggers count into shard 0 (one writer, nothing to spread; PostgreSQL spreads its writers).
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_count_insert;
                DROP TRIGGER IF EXISTS runs_count_update;
                DROP TRIGGER IF EXISTS runs_count_delete;
                CREATE TABLE run_counts_sharded (
                    Status TEXT NOT NULL,
                    Shard INTEGER NOT NULL,
                    Count INTEGER NOT NULL,
                    CONSTRAINT PK_run_counts PRIMARY KEY (Status, Shard));
                INSERT INTO run_counts_sharded (Status, Shard, Count) SELECT Status, 0, Count FROM run_counts;
                DROP TABLE run_counts;
                ALTER TABLE run_counts_sharded RENAME TO run_counts;
                CREATE TRIGGER runs_count_insert AFTER INSERT ON runs BEGIN
                    INSERT INTO run_counts (Status, Shard, Count) VALUES (NEW.Status, 0, 1) ON CONFLICT (Status, Shard) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER runs_count_update AFTER UPDATE OF Status ON runs WHEN OLD.Status <> NEW.Status BEGIN
                    UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status AND Shard = 0;
                    INSERT INTO run_counts (Status, Shard, Count) VALUES (NEW.Status, 0, 1) ON CONFLICT (Status, Shard) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER runs_count_delete AFTER DELETE ON runs BEGIN
                    UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status AND Shard = 0;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_count_insert;
                DROP TRIGGER IF EXISTS runs_count_update;
                DROP TRIGGER IF EXISTS runs_count_delete;
                CREATE TABLE run_counts_single (
                    Status TEXT NOT NULL CONSTRAINT PK_run_counts PRIMARY KEY,
                    Count INTEGER NOT NULL);
                INSERT INTO run_counts_single (Status, Count) SELECT Status, SUM(Count) FROM run_counts GROUP BY Status;
                DROP TABLE run_counts;
                ALTER TABLE run_counts_single RENAME TO run_counts;
                CREATE TRIGGER runs_count_insert AFTER INSERT ON runs BEGIN
                    INSERT INTO run_counts (Status, Count) VALUES (NEW.Status, 1) ON CONFLICT (Status) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER runs_count_update AFTER UPDATE OF Status ON runs WHEN OLD.Status <> NEW.Status BEGIN
                    UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status;
                    INSERT INTO run_counts (Status, Count) VALUES (NEW.Status, 1) ON CONFLICT (Status) DO UPDATE SET Count = Count + 1;
                END;
                CREATE TRIGGER runs_count_delete AFTER DELETE ON runs BEGIN
                    UPDATE run_counts SET Count = Count - 1 WHERE Status = OLD.Status;
                END;
                """);
        }
    }
}
