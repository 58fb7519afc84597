using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RunCountsAndQueryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_runs_CompletedAt_Status",
                table: "runs");

            migrationBuilder.CreateTable(
                name: "run_counts",
                columns: table => new
                {
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_counts", x => x.Status);
                });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Status_CompletedAt",
                table: "runs",
                columns: new[] { "Status", "CompletedAt" },
                filter: "\"CompletedAt\" IS NOT NULL");

            // The counts are kept by triggers from here on, starting from the runs already stored.
            // The SQL is written here, not read from a constant elsewhere: what a migration ran never changes.
            migrationBuilder.Sql("""
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
                INSERT INTO run_counts (Status, Count) SELECT Status, COUNT(*) FROM runs GROUP BY Status;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_count_insert;
                DROP TRIGGER IF EXISTS runs_count_update;
                DROP TRIGGER IF EXISTS runs_count_delete;
                """);

            migrationBuilder.DropTable(
                name: "run_counts");

            migrationBuilder.DropIndex(
                name: "IX_runs_Status_CompletedAt",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "IX_runs_CompletedAt_Status",
                table: "runs",
                columns: new[] { "CompletedAt", "Status" },
                filter: "\"CompletedAt\" IS NOT NULL");
        }
    }
}
