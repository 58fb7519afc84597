using System.Diagnostics;
using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Reporting;
using FlowDashboard.Bench.Scenarios;

namespace FlowDashboard.Bench;

/// <summary>Runs the scenarios one after another (never two at once: they would measure each other), each in a folder of its own.</summary>
public sealed class BenchRunner(BenchSettings settings, TextWriter log)
{
    private readonly List<BenchResult> results = [];

    /// <summary>Runs every scenario <see cref="BenchSettings"/> selects and returns their results, held against the targets.</summary>
    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        // P0 and W1 on each store: SQLite at both synchronous levels, and PostgreSQL when the bench is given a server.
        var postgres = settings.Postgres is { } server ? BenchStore.PostgreSql(server) : null;
        List<BenchStore> stores = [BenchStore.Sqlite(SqliteSynchronous.Full), BenchStore.Sqlite(SqliteSynchronous.Normal)];
        if (postgres is not null) stores.Add(postgres);
        if (settings.Runs("P0"))
        {
            var limit = new PhysicalLimit(settings);
            foreach (var store in stores) await MeasureAsync(PhysicalLimit.Name, store.Setting, () => limit.RunAsync(store));
        }

        if (settings.Runs("W1"))
        {
            var engine = new EngineThroughput(settings);
            foreach (var store in stores)
            {
                foreach (var inFlight in new[] { 1, 100 })
                {
                    await MeasureAsync(EngineThroughput.Name, $"{inFlight} in flight, {store.Setting}", () => engine.RunAsync(store, inFlight));
                }
            }
        }

        if (settings.Runs("R1"))
        {
            var purge = new PurgeUnderLoad(settings);
            foreach (var purging in new[] { false, true })
            {
                await MeasureAsync(PurgeUnderLoad.Name, PurgeUnderLoad.Setting(purging), () => purge.RunAsync(purging));
            }
        }

        if (settings.Runs("W4"))
        {
            if (postgres is { } shared)
            {
                // Beside W4's lines, the limit of the same server: P0's line from this run, or measured now.
                if (!results.Exists(r => r.Scenario == PhysicalLimit.Name && r.Setting == shared.Setting && r.StepsPerSecond is not null))
                {
                    var limit = new PhysicalLimit(settings);
                    await MeasureAsync(PhysicalLimit.Name, shared.Setting, () => limit.RunAsync(shared));
                }

                var twoNodes = new TwoNodes(settings);
                foreach (var nodes in new[] { 1, 2 })
                {
                    await MeasureAsync(TwoNodes.Name, TwoNodes.Setting(nodes), () => twoNodes.RunAsync(shared, nodes));
                }
            }
            else
            {
                Skip(TwoNodes.Name, "needs a PostgreSQL server: --postgres <connection string> (bench/postgres.sh starts one)");
            }
        }

        if (settings.Runs("HF"))
        {
            var hangfire = new HangfireChain(settings);
            foreach (var sqlite in new[] { false, true })
            {
                foreach (var inFlight in new[] { 1, 100 })
                {
                    await MeasureAsync(HangfireChain.Name, $"{(sqlite ? "Hangfire.Storage.SQLite" : "Hangfire.InMemory")}, {inFlight} in flight", () => hangfire.RunAsync(sqlite, inFlight));
                }
            }
        }

        if (settings.Runs("WFC"))
        {
            var workflowCore = new WorkflowCorePeer(settings);
            foreach (var inFlight in new[] { 1, 100 })
            {
                await MeasureAsync(WorkflowCorePeer.Name, $"{inFlight} in flight", () => workflowCore.RunAsync(inFlight));
            }
        }

        if (settings.Runs("W2"))
        {
            var sleep = new SleepLateness(settings);
            var polling = new FlowDashboardOptions().SchedulePollingInterval;
            var sqlite = BenchStore.Sqlite(SqliteSynchronous.Full);
            await MeasureAsync(SleepLateness.Name, $"polling {polling.TotalSeconds:0.0} s (default)", () => sleep.RunAsync(sqlite, polling, isDefault: true));
            await MeasureAsync(SleepLateness.Name, "polling 0.1 s", () => sleep.RunAsync(sqlite, TimeSpan.FromMilliseconds(100), isDefault: false));

            // On PostgreSQL with the default polling: one node, and two on the one database (a wake-up taken by either).
            if (postgres is { } shared)
            {
                foreach (var nodes in new[] { 1, 2 })
                {
                    await MeasureAsync(SleepLateness.Name, $"PostgreSQL, {nodes} node{(nodes == 1 ? string.Empty : "s")}, polling {polling.TotalSeconds:0.0} s (default)", () => sleep.RunAsync(shared, polling, isDefault: true, nodes));
                }
            }
        }

        if (settings.Runs("B1"))
        {
            var batch = new BatchTrigger(settings);
            await MeasureAsync(BatchTrigger.Name, "one batch call", () => batch.RunAsync(asBatch: true));
            await MeasureAsync(BatchTrigger.Name, "1,000 single triggers", () => batch.RunAsync(asBatch: false));
        }

        if (settings.Runs("W3"))
        {
            var stopwatch = Stopwatch.StartNew();
            log.Write($"{"W3 console queries",-70} ... ");
            try
            {
                results.AddRange(await new ConsoleQueries(settings).RunAsync(log));
                log.WriteLine($"done ({stopwatch.Elapsed.TotalSeconds:0.0} s)");
            }
            catch (Exception ex)
            {
                results.Add(new BenchResult("W3 console queries", "all") { Note = Failure(ex) });
                log.WriteLine(Failure(ex));
            }
        }

        return Targets.Assess(results);
    }

    private void Skip(string scenario, string why)
    {
        results.Add(new BenchResult(scenario, "not run") { Note = $"not run: {why}" });
        log.WriteLine($"{scenario + " | not run",-70} ... {why}");
    }

    private async Task MeasureAsync(string scenario, string setting, Func<Task<BenchResult>> measure)
    {
        var stopwatch = Stopwatch.StartNew();
        log.Write($"{scenario + " | " + setting,-70} ... ");
        try
        {
            var result = await measure();
            results.Add(result);
            log.WriteLine($"{ResultTable.Brief(result)} ({stopwatch.Elapsed.TotalSeconds:0.0} s)");
        }
        catch (Exception ex)
        {
            results.Add(new BenchResult(scenario, setting) { Note = Failure(ex) });
            log.WriteLine(Failure(ex));
        }
    }

    private static string Failure(Exception ex) =>
        ex.InnerException is { } inner ? $"FAILED: {ex.GetType().Name}: {ex.Message} ({inner.GetType().Name}: {inner.Message})" : $"FAILED: {ex.GetType().Name}: {ex.Message}";
}
