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
            migrationBuilder.Sql(FlowDashboard.Store.RunCounts.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(FlowDashboard.Store.RunCounts.DropSql);

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
