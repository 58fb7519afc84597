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
            // The SQL is written here, not read from a constant elsewhere: what a migration ran never changes.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE runs_search USING fts5(Id, Input, content = 'runs', tokenize = 'trigram case_sensitive 1');
                CREATE TRIGGER runs_search_insert AFTER INSERT ON runs BEGIN
                    INSERT INTO runs_search (rowid, Id, Input) VALUES (NEW.rowid, NEW.Id, NEW.Input);
                END;
                CREATE TRIGGER runs_search_update AFTER UPDATE OF Id, Input ON runs BEGIN
                    INSERT INTO runs_search (runs_search, rowid, Id, Input) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input);
                    INSERT INTO runs_search (rowid, Id, Input) VALUES (NEW.rowid, NEW.Id, NEW.Input);
                END;
                CREATE TRIGGER runs_search_delete AFTER DELETE ON runs BEGIN
                    INSERT INTO runs_search (runs_search, rowid, Id, Input) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input);
                END;
                INSERT INTO runs_search (runs_search) VALUES ('rebuild');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_search_insert;
                DROP TRIGGER IF EXISTS runs_search_update;
                DROP TRIGGER IF EXISTS runs_search_delete;
                DROP TABLE IF EXISTS runs_search;
                """);
        }
    }
}
