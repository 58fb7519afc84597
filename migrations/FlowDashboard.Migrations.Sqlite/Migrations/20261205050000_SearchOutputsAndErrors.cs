using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SearchOutputsAndErrors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search finds a run by its output and its error too: an operator searching "Unknown" finds the runs that
            // failed with "Unknown SKU". The index is made again over four columns, from the runs themselves.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_search_insert;
                DROP TRIGGER IF EXISTS runs_search_update;
                DROP TRIGGER IF EXISTS runs_search_delete;
                DROP TABLE IF EXISTS runs_search;
                CREATE VIRTUAL TABLE runs_search USING fts5(Id, Input, Output, Error, content = 'runs', tokenize = 'trigram case_sensitive 0');
                CREATE TRIGGER runs_search_insert AFTER INSERT ON runs BEGIN
                    INSERT INTO runs_search (rowid, Id, Input, Output, Error) VALUES (NEW.rowid, NEW.Id, NEW.Input, NEW.Output, NEW.Error);
                END;
                CREATE TRIGGER runs_search_update AFTER UPDATE OF Id, Input, Output, Error ON runs BEGIN
                    INSERT INTO runs_search (runs_search, rowid, Id, Input, Output, Error) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input, OLD.Output, OLD.Error);
                    INSERT INTO runs_search (rowid, Id, Input, Output, Error) VALUES (NEW.rowid, NEW.Id, NEW.Input, NEW.Output, NEW.Error);
                END;
                CREATE TRIGGER runs_search_delete AFTER DELETE ON runs BEGIN
                    INSERT INTO runs_search (runs_search, rowid, Id, Input, Output, Error) VALUES ('delete', OLD.rowid, OLD.Id, OLD.Input, OLD.Output, OLD.Error);
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
                CREATE VIRTUAL TABLE runs_search USING fts5(Id, Input, content = 'runs', tokenize = 'trigram case_sensitive 0');
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
    }
}
