using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OperatorConsole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_steps_RunId_Sequence",
                table: "steps");

            migrationBuilder.DropIndex(
                name: "IX_runs_CreatedAt",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Status_CreatedAt",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Workflow_CreatedAt",
                table: "runs");

            migrationBuilder.AddColumn<int>(
                name: "RetryBase",
                table: "steps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "FailureCount",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SourceRef",
                table: "runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 250, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_steps_RunId_Sequence",
                table: "steps",
                columns: new[] { "RunId", "Sequence" },
                unique: true,
                filter: "\"Kind\" <> 'FailureHandler'");

            migrationBuilder.CreateIndex(
                name: "IX_runs_CompletedAt_Status",
                table: "runs",
                columns: new[] { "CompletedAt", "Status" },
                filter: "\"CompletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_CreatedAt_Id",
                table: "runs",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Status_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Workflow", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_Status_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Workflow", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_At",
                table: "audit_log",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_RunId_At",
                table: "audit_log",
                columns: new[] { "RunId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropIndex(
                name: "IX_steps_RunId_Sequence",
                table: "steps");

            migrationBuilder.DropIndex(
                name: "IX_runs_CompletedAt_Status",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_CreatedAt_Id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Status_CreatedAt_Id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Workflow_CreatedAt_Id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Workflow_Status_CreatedAt_Id",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "RetryBase",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "FailureCount",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "SourceRef",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "IX_steps_RunId_Sequence",
                table: "steps",
                columns: new[] { "RunId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_runs_CreatedAt",
                table: "runs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_runs_Status_CreatedAt",
                table: "runs",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_CreatedAt",
                table: "runs",
                columns: new[] { "Workflow", "CreatedAt" });
        }
    }
}
