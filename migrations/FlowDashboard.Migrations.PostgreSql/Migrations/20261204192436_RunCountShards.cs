using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RunCountShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_run_counts",
                table: "run_counts");

            migrationBuilder.AddColumn<short>(
                name: "Shard",
                table: "run_counts",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_run_counts",
                table: "run_counts",
                columns: new[] { "Status", "Shard" });

            // Each connection counts into a row of its own per state (16 of them), so writers on many nodes do not
            // queue behind one row lock until their commits; a state's count is the sum of its rows.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION runs_count() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    shard smallint := pg_backend_pid() % 16;
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        INSERT INTO run_counts ("Status", "Shard", "Count") VALUES (OLD."Status", shard, -1)
                        ON CONFLICT ("Status", "Shard") DO UPDATE SET "Count" = run_counts."Count" - 1;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO run_counts ("Status", "Shard", "Count") VALUES (NEW."Status", shard, 1)
                        ON CONFLICT ("Status", "Shard") DO UPDATE SET "Count" = run_counts."Count" + 1;
                    END IF;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION runs_count() RETURNS trigger LANGUAGE plpgsql AS $$
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
                DELETE FROM run_counts;
                """);

            migrationBuilder.DropPrimaryKey(
                name: "PK_run_counts",
                table: "run_counts");

            migrationBuilder.DropColumn(
                name: "Shard",
                table: "run_counts");

            migrationBuilder.AddPrimaryKey(
                name: "PK_run_counts",
                table: "run_counts",
                column: "Status");

            migrationBuilder.Sql("""INSERT INTO run_counts ("Status", "Count") SELECT "Status", COUNT(*) FROM runs GROUP BY "Status";""");
        }
    }
}
