using FlowDashboard.Bench.Measurement;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// P0, the limit: single-row INSERT commits in a loop on one connection, on a file with the engine's
/// journal mode and synchronous level. Its commits per second is what a workflow engine would reach if each
/// step cost exactly one commit and nothing else.
/// </summary>
public sealed class PhysicalLimit(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "P0 limit: 1-row commits";

    /// <summary>Commits rows for <see cref="BenchSettings.LimitDuration"/> at <paramref name="synchronous"/>.</summary>
    public BenchResult Run(SqliteSynchronous synchronous)
    {
        using var folder = new TempFolder("p0");
        using var connection = new SqliteConnection($"Data Source={folder.File("limit.db")};Pooling=False");
        connection.Open();
        var level = synchronous.ToString().ToUpperInvariant();
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
        void Commit(int i)
        {
            run.Value = $"0197a5c0e8d37b2a9c1f{i:D12}";
            name.Value = $"step-{i % 10}";
            at.Value = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

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
        return new BenchResult(Name, Setting(synchronous))
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

    /// <summary>How a synchronous level is named in every scenario's setting.</summary>
    public static string Setting(SqliteSynchronous synchronous) => $"WAL+{synchronous.ToString().ToUpperInvariant()}";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
