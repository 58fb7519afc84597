using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PausedWorkflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Held",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "paused_workflows",
                columns: table => new
                {
                    Workflow = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PausedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PausedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_paused_workflows", x => new { x.Workflow, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Held",
                table: "runs",
                columns: new[] { "Workflow", "ConcurrencyKey" },
                filter: "\"Held\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "paused_workflows");

            migrationBuilder.DropIndex(
                name: "IX_runs_Held",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "Held",
                table: "runs");
        }
    }
}
