using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SearchOutputsAndErrors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search finds a run by its output and its error too. Partial indexes: a run in flight has neither, and
            // its many updates then add nothing to them.
            migrationBuilder.Sql("""
                CREATE INDEX IF NOT EXISTS "IX_runs_search_output" ON runs USING gin ("Output" gin_trgm_ops) WHERE "Output" IS NOT NULL;
                CREATE INDEX IF NOT EXISTS "IX_runs_search_error" ON runs USING gin ("Error" gin_trgm_ops) WHERE "Error" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_runs_search_error";
                DROP INDEX IF EXISTS "IX_runs_search_output";
                """);
        }
    }
}
