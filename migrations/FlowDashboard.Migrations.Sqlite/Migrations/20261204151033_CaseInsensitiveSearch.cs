using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FlowDashboard.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseInsensitiveSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search ignores case, as on PostgreSQL: an operator typing "Gadget" finds "gadget". The index is made
            // again with the trigram tokenizer's case folding, from the runs themselves.
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS runs_search_insert;
                DROP TRIGGER IF EXISTS runs_search_update;
                DROP TRIGGER IF EXISTS runs_search_delete;
                DROP TABLE IF EXISTS runs_search;
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
    }
}
