using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WaitsCallsChildren : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Input",
                table: "steps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Payload",
                table: "steps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Target",
                table: "steps",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConcurrencyKey",
                table: "runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SingletonKey",
                table: "runs",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ThrottledUntil",
                table: "runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WakePending",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "pending_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rate_windows",
                columns: table => new
                {
                    Workflow = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WindowStart = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_windows", x => new { x.Workflow, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_steps_Target_Kind",
                table: "steps",
                columns: new[] { "Target", "Kind" },
                filter: "\"Status\" = 'Waiting'");

            migrationBuilder.CreateIndex(
                name: "IX_runs_SingletonKey",
                table: "runs",
                column: "SingletonKey",
                unique: true,
                filter: "\"SingletonKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_ConcurrencyKey_LeaseOwner",
                table: "runs",
                columns: new[] { "Workflow", "ConcurrencyKey", "LeaseOwner" });

            migrationBuilder.CreateIndex(
                name: "IX_pending_events_RunId_EventId",
                table: "pending_events",
                columns: new[] { "RunId", "EventId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_events");

            migrationBuilder.DropTable(
                name: "rate_windows");

            migrationBuilder.DropIndex(
                name: "IX_steps_Target_Kind",
                table: "steps");

            migrationBuilder.DropIndex(
                name: "IX_runs_SingletonKey",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_Workflow_ConcurrencyKey_LeaseOwner",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "Input",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "Payload",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "Target",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "ConcurrencyKey",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "SingletonKey",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "ThrottledUntil",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "WakePending",
                table: "runs");
        }
    }
}
