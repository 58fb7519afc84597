using FlowDashboard.Bench.Harness;
using FlowDashboard.Sqlite;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// R1: W1's busiest setting (ten no-op steps, 100 runs in flight, WAL+FULL) on a store seeded with
/// <see cref="SeededRuns"/> runs of the last 30 days, without retention and then with a retention of one day, which
/// purges nearly all of them while W1 runs: what the purge costs the engine.
/// </summary>
public sealed class PurgeUnderLoad(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "R1 retention: W1 while the purge runs";

    /// <summary>Runs seeded before each line (as in W3, spread over 30 days).</summary>
    public const int SeededRuns = 100_000;

    private const int InFlight = 100;

    /// <summary>The setting of the line without or with the purge.</summary>
    public static string Setting(bool purging) => purging
        ? $"{InFlight} in flight, WAL+FULL, {SeededRuns:N0} runs seeded, retention 1 day (purging)"
        : $"{InFlight} in flight, WAL+FULL, {SeededRuns:N0} runs seeded, no retention";

    /// <summary>Measures one line.</summary>
    public async Task<BenchResult> RunAsync(bool purging)
    {
        var store = BenchStore.Sqlite(SqliteSynchronous.Full);
        return await new EngineThroughput(settings).MeasureAsync(
            Name,
            Setting(purging),
            store,
            InFlight,
            nodes: 1,
            purging ? "the purge in the background, commits of 200 runs" : "the same store, nothing purged",
            prepare: async folder =>
            {
                // Started once and stopped: the migrations make the store; then the seeder fills it.
                await using (await EngineHarness.StartAsync(folder, store, EngineThroughput.Register(null)))
                {
                }

                new StoreSeeder(SeededRuns).Seed(folder.File("flows.db"));
            },
            configure: o =>
            {
                if (!purging) return;
                o.Retention.Completed = TimeSpan.FromDays(1);
                o.Retention.Failed = TimeSpan.FromDays(1);
                o.Retention.Cancelled = TimeSpan.FromDays(1);
                o.Retention.Interval = TimeSpan.FromSeconds(1);
            },
            describe: folder => Remaining(folder.File("flows.db")));
    }

    // Read at the end of the measured window: how far the purge got.
    private static string Remaining(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runs WHERE CompletedAt < @cutoff";
        command.Parameters.AddWithValue("@cutoff", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
        var older = (long)command.ExecuteScalar()!;
        return $"{older:N0} runs older than a day left in the store";
    }
}
