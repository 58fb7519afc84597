using System.Diagnostics;
using System.Text.Json;
using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// B1: starting 1,000 runs at once. The batch trigger checks every item, then records all of them in one commit;
/// beside it, the same 1,000 runs triggered one after another (each its own commit), as the batch endpoint used to.
/// Each repetition starts on an idle engine: the runs of the one before (one no-op step each) have finished.
/// </summary>
public sealed class BatchTrigger(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "B1 engine: trigger 1,000 runs at once";

    private const string Workflow = "order";
    private const int Items = 1000;

    /// <summary>Measures one batch call (<paramref name="asBatch"/>) or 1,000 single triggers in sequence.</summary>
    public async Task<BenchResult> RunAsync(bool asBatch)
    {
        using var folder = new TempFolder("b1");
        await using var engine = await EngineHarness.StartAsync(folder, BenchStore.Sqlite(SqliteSynchronous.Full), builder => builder.AddWorkflow<Order>(
            Workflow, ctx => ctx.RunAsync("accept", _ => Task.CompletedTask)));

        var times = new List<double>();
        var repeats = settings.Quick ? 3 : 10;
        for (var round = 0; round <= repeats; round++)
        {
            var items = Enumerable.Range(0, Items)
                .Select(i => new BatchItem($"r{round}-{i:D4}", JsonSerializer.SerializeToElement(new Order($"order-{round}-{i}", "widget", 1 + (i % 9)))))
                .ToList();
            var stopwatch = Stopwatch.StartNew();
            if (asBatch)
            {
                await engine.Client.TriggerBatchAsync(Workflow, items);
            }
            else
            {
                foreach (var item in items) await engine.Client.TriggerAsync(Workflow, item.Input, new TriggerOptions { RunId = item.RunId });
            }

            // The first round warms the engine up (JIT, pools) and is not counted.
            if (round > 0) times.Add(stopwatch.Elapsed.TotalMilliseconds);
            await WaitUntilAllCompletedAsync(engine, (round + 1) * Items);
        }

        return new BenchResult(Name, asBatch ? "one batch call, WAL+FULL" : "1,000 single triggers in sequence, WAL+FULL")
        {
            Runs = repeats * Items,
            Latency = "time to record 1,000 runs",
            LatencyP50Ms = Percentiles.Of(times, 50),
            LatencyP95Ms = Percentiles.Of(times, 95),
            Note = $"{repeats} repetitions of {Items:N0} runs, each from an idle engine; every run Completed",
        };
    }

    private static async Task WaitUntilAllCompletedAsync(EngineHarness engine, int expected)
    {
        var deadline = DateTime.UtcNow + ClosedLoop.RunTimeout;
        while ((await engine.CountByStatusAsync()).GetValueOrDefault("Completed") < expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"NOT ALL {expected} runs completed in time.");
            await Task.Delay(50);
        }
    }

    /// <summary>The workflow's input: an order, as a batch of imported orders would carry.</summary>
    public sealed record Order(string OrderId, string Sku, int Quantity);
}
