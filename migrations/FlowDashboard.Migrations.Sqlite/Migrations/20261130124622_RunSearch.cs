using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RunSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The runs list's search reads a trigram index from here on, filled with the runs already stored.
            migrationBuilder.Sql(FlowDashboard.Store.RunSearch.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(FlowDashboard.Store.RunSearch.DropSql);
        }
    }
}
