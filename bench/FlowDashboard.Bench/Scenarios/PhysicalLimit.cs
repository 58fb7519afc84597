using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// P0, the limit: single-row INSERT commits in a loop on one connection, on a file with the engine's
/// journal mode and synchronous level, or on the PostgreSQL server the engine then runs on. Its commits per
/// second is what a workflow engine would reach if each step cost exactly one commit and nothing else.
/// </summary>
public sealed class PhysicalLimit(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "P0 limit: 1-row commits";

    /// <summary>Commits rows for <see cref="BenchSettings.LimitDuration"/> on <paramref name="store"/>.</summary>
    public async Task<BenchResult> RunAsync(BenchStore store)
    {
        using var folder = new TempFolder("p0");
        await store.CreateAsync(folder);
        try
        {
            await using var connection = store.Connect(folder);
            await connection.OpenAsync();
            return store.IsPostgreSql ? MeasurePostgreSql(store, (NpgsqlConnection)connection) : MeasureSqlite(store, (SqliteConnection)connection);
        }
        finally
        {
            await store.DropAsync(folder);
        }
    }

    private BenchResult MeasureSqlite(BenchStore store, SqliteConnection connection)
    {
        var level = store.Synchronous.ToString().ToUpperInvariant();
        Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={level}; PRAGMA busy_timeout=30000;");
        Execute(connection, "CREATE TABLE rows (Id INTEGER PRIMARY KEY, RunId TEXT NOT NULL, Name TEXT NOT NULL, Status TEXT NOT NULL, StartedAt TEXT NOT NULL)");
        var counter = new CommitCounter();
        counter.Install(connection.Handle!);

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO rows (RunId, Name, Status, StartedAt) VALUES ($run, $name, 'Completed', $at)";
        var run = insert.Parameters.Add("$run", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Prepare();
        return Measure(store, counter, i =>
        {
            run.Value = $"0197a5c0e8d37b2a9c1f{i:D12}";
            name.Value = $"step-{i % 10}";
            at.Value = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        });
    }

    // Each INSERT outside a transaction is its own commit (autocommit), counted as the statement returns.
    private BenchResult MeasurePostgreSql(BenchStore store, NpgsqlConnection connection)
    {
        Execute(connection, """CREATE TABLE rows ("Id" bigserial PRIMARY KEY, "RunId" text NOT NULL, "Name" text NOT NULL, "Status" text NOT NULL, "StartedAt" timestamptz NOT NULL)""");
        var counter = new CommitCounter();
        using var insert = connection.CreateCommand();
        insert.CommandText = """INSERT INTO rows ("RunId", "Name", "Status", "StartedAt") VALUES (@run, @name, 'Completed', @at)""";
        var run = insert.Parameters.Add("run", NpgsqlTypes.NpgsqlDbType.Text);
        var name = insert.Parameters.Add("name", NpgsqlTypes.NpgsqlDbType.Text);
        var at = insert.Parameters.Add("at", NpgsqlTypes.NpgsqlDbType.TimestampTz);
        insert.Prepare();
        return Measure(store, counter, i =>
        {
            run.Value = $"0197a5c0e8d37b2a9c1f{i:D12}";
            name.Value = $"step-{i % 10}";
            at.Value = DateTime.UtcNow;
            insert.ExecuteNonQuery();
            counter.Counted();
        });
    }

    private BenchResult Measure(BenchStore store, CommitCounter counter, Action<int> Commit)
    {
        for (var i = 0; i < 200; i++) Commit(i);
        var before = counter.Commits;
        var latencies = new List<double>();
        var cpu = new CpuClock();
        var start = Ticks.Now;
        var deadline = start + (long)(settings.LimitDuration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var now = start;
        while (now < deadline)
        {
            Commit(latencies.Count);
            var after = Ticks.Now;
            latencies.Add(Ticks.Ms(now, after));
            now = after;
        }

        var (cpuMs, cpuCores) = (cpu.ElapsedCpuMs, cpu.Cores);
        var seconds = Ticks.Seconds(start, now);
        var commits = counter.Commits - before;
        return new BenchResult(Name, store.Setting)
        {
            Steps = latencies.Count,
            Seconds = seconds,
            StepsPerSecond = latencies.Count / seconds,
            CpuMsPerStep = cpuMs / latencies.Count,
            CpuCores = cpuCores,
            MsPerStepP50 = Percentiles.Of(latencies, 50),
            MsPerStepP95 = Percentiles.Of(latencies, 95),
            CommitsPerStep = (double)commits / latencies.Count,
            RatioToLimit = 1,
            Note = "steps/s here = commits/s: a step costing exactly one commit; ms/step = one commit",
        };
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
