using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FlowDashboard.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    RunId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Target = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: true),
                    Detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "pending_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EventId = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rate_starts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Workflow = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_starts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "run_counts",
                columns: table => new
                {
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_counts", x => x.Status);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Workflow = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SourceRef = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ScheduledFor = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Input = table.Column<string>(type: "text", nullable: true),
                    Output = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    ErrorType = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    FailureCount = table.Column<int>(type: "integer", nullable: false),
                    WakePending = table.Column<bool>(type: "boolean", nullable: false),
                    ConcurrencyKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SingletonKey = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ThrottledUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Workflow = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Input = table.Column<string>(type: "text", nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Misfire = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastFireAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedules", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "steps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "character varying(100)", nullable: false),
                    Name = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Output = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    WakeAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AttemptCount = table.Column<int>(type: "integer", nullable: false),
                    RetryBase = table.Column<int>(type: "integer", nullable: false),
                    CompletionOrder = table.Column<int>(type: "integer", nullable: true),
                    Target = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Input = table.Column<string>(type: "text", nullable: true),
                    Payload = table.Column<string>(type: "text", nullable: true),
                    ParallelGroup = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_steps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_steps_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "step_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StepId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScheduledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    ErrorType = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    StackTrace = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_step_attempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_step_attempts_steps_StepId",
                        column: x => x.StepId,
                        principalTable: "steps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_At",
                table: "audit_log",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_RunId_At",
                table: "audit_log",
                columns: new[] { "RunId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_pending_events_RunId_EventId",
                table: "pending_events",
                columns: new[] { "RunId", "EventId" });

            migrationBuilder.CreateIndex(
                name: "IX_rate_starts_Workflow_Key_StartedAt",
                table: "rate_starts",
                columns: new[] { "Workflow", "Key", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_CreatedAt_Id",
                table: "runs",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_DueAt",
                table: "runs",
                column: "DueAt",
                filter: "\"DueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_SingletonKey",
                table: "runs",
                column: "SingletonKey",
                unique: true,
                filter: "\"SingletonKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_SourceRef_CreatedAt",
                table: "runs",
                columns: new[] { "SourceRef", "CreatedAt" },
                filter: "\"SourceRef\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_Status_CompletedAt",
                table: "runs",
                columns: new[] { "Status", "CompletedAt" },
                filter: "\"CompletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_runs_Status_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_ConcurrencyKey_LeaseOwner",
                table: "runs",
                columns: new[] { "Workflow", "ConcurrencyKey", "LeaseOwner" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Workflow", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_Workflow_Status_CreatedAt_Id",
                table: "runs",
                columns: new[] { "Workflow", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_step_attempts_StepId_Number",
                table: "step_attempts",
                columns: new[] { "StepId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_steps_RunId_Name",
                table: "steps",
                columns: new[] { "RunId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_steps_RunId_Sequence",
                table: "steps",
                columns: new[] { "RunId", "Sequence" },
                unique: true,
                filter: "\"Kind\" <> 'FailureHandler'");

            migrationBuilder.CreateIndex(
                name: "IX_steps_Target_Kind",
                table: "steps",
                columns: new[] { "Target", "Kind" },
                filter: "\"Status\" = 'Waiting'");

            // run_counts is kept by a trigger on every status change, so the overview reads a few rows, not every run.
            // The SQL is written here, not read from a constant elsewhere: what a migration ran never changes.
            migrationBuilder.Sql("""
                CREATE FUNCTION runs_count() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        UPDATE run_counts SET "Count" = "Count" - 1 WHERE "Status" = OLD."Status";
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO run_counts ("Status", "Count") VALUES (NEW."Status", 1)
                        ON CONFLICT ("Status") DO UPDATE SET "Count" = run_counts."Count" + 1;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER runs_count_insert AFTER INSERT ON runs FOR EACH ROW EXECUTE FUNCTION runs_count();
                CREATE TRIGGER runs_count_update AFTER UPDATE OF "Status" ON runs FOR EACH ROW
                    WHEN (OLD."Status" IS DISTINCT FROM NEW."Status") EXECUTE FUNCTION runs_count();
                CREATE TRIGGER runs_count_delete AFTER DELETE ON runs FOR EACH ROW EXECUTE FUNCTION runs_count();
                """);

            // The runs list's search: trigram indexes over id and input answer ILIKE '%text%' without reading every run.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_runs_search_id" ON runs USING gin ("Id" gin_trgm_ops);
                CREATE INDEX "IX_runs_search_input" ON runs USING gin ("Input" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_runs_search_input";
                DROP INDEX IF EXISTS "IX_runs_search_id";
                DROP TRIGGER IF EXISTS runs_count_insert ON runs;
                DROP TRIGGER IF EXISTS runs_count_update ON runs;
                DROP TRIGGER IF EXISTS runs_count_delete ON runs;
                DROP FUNCTION IF EXISTS runs_count();
                """);

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "pending_events");

            migrationBuilder.DropTable(
                name: "rate_starts");

            migrationBuilder.DropTable(
                name: "run_counts");

            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropTable(
                name: "step_attempts");

            migrationBuilder.DropTable(
                name: "steps");

            migrationBuilder.DropTable(
                name: "runs");
        }
    }
}
