using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class BulkOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bulk_operations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RunIds = table.Column<string>(type: "text", nullable: true),
                    Filter = table.Column<string>(type: "text", nullable: true),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Succeeded = table.Column<int>(type: "integer", nullable: false),
                    Skipped = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    CursorCreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CursorId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Finished = table.Column<bool>(type: "boolean", nullable: false),
                    Owner = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    OwnerExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bulk_operations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_operations_Finished",
                table: "bulk_operations",
                column: "Finished");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bulk_operations");
        }
    }
}
