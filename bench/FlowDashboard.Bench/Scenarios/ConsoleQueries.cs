using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Client;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// W3: the console's queries, through the engine's own <see cref="IRunQueryService"/>, on a store seeded
/// with <see cref="BenchSettings.SeedRuns"/> runs. The store is made by the engine's migrations; the
/// engine host that answers the queries is built but not started, so no background work runs meanwhile.
/// Each query runs once untimed, then <see cref="BenchSettings.QueryRepeats"/> times timed.
/// </summary>
public sealed class ConsoleQueries(BenchSettings settings)
{
    private const int PageSize = 50; // the runs page's

    private string Scenario => $"W3 console queries, {settings.SeedRuns:N0} runs";

    /// <summary>Seeds the store and times every query.</summary>
    public async Task<IReadOnlyList<BenchResult>> RunAsync(TextWriter log)
    {
        using var folder = new TempFolder("w3");
        await using (await EngineHarness.StartAsync(folder, BenchStore.Sqlite(SqliteSynchronous.Full), Register))
        {
            // Started once and stopped: the migrations have made the store.
        }

        var seeder = new StoreSeeder(settings.SeedRuns);
        var seed = seeder.Seed(folder.File("flows.db"));
        log.Write($"seeded in {seed.Seconds:0} s ... ");
        var results = new List<BenchResult>
        {
            new(Scenario, "seeding the store (not a console query)")
            {
                Seconds = seed.Seconds,
                Note = $"{seed.Runs:N0} runs, {seed.Steps:N0} steps, {seed.Attempts:N0} attempts, {seed.FileMiB:N0} MiB; bulk inserts, indexes made after; no ANALYZE (the engine runs none)",
            },
        };

        await using var engine = await EngineHarness.StartAsync(folder, BenchStore.Sqlite(SqliteSynchronous.Full), Register, start: false);
        var queries = engine.Services.GetRequiredService<IRunQueryService>();
        var common = StoreSeeder.Workflows[1];
        var failed = new RunFilter { Statuses = [RunStatus.Failed] };
        var day = DateTimeOffset.UtcNow.AddDays(-10);

        async Task Time(string setting, Func<Task<string>> query, double target)
        {
            var outcome = await query();
            var times = new List<double>();
            for (var i = 0; i < settings.QueryRepeats; i++)
            {
                var start = Ticks.Now;
                await query();
                times.Add(Ticks.Ms(start, Ticks.Now));
            }

            results.Add(new BenchResult(Scenario, setting)
            {
                Latency = "query time",
                LatencyP50Ms = Percentiles.Of(times, 50),
                LatencyP95Ms = Percentiles.Of(times, 95),
                Target = $"< {target:0} ms",
                MeetsTarget = Percentiles.Of(times, 50) < target,
                Note = outcome,
            });
        }

        async Task<string> Page(RunFilter filter, string? cursor = null, RunOrder order = RunOrder.NewestFirst) =>
            $"{(await queries.ListRunsAsync(filter, cursor, PageSize, order)).Runs.Count} rows";

        async Task<string?> CursorOfPage(RunFilter filter, int page, RunOrder order = RunOrder.NewestFirst)
        {
            string? cursor = null;
            for (var i = 1; i < page; i++) cursor = (await queries.ListRunsAsync(filter, cursor, PageSize, order)).NextCursor;
            return cursor;
        }

        await Time("runs list: first page, no filter", () => Page(new RunFilter()), 50);
        await Time("runs list: first page, status Failed", () => Page(failed), 50);
        await Time($"runs list: first page, workflow {common}", () => Page(new RunFilter { Workflow = common }), 50);
        await Time($"runs list: first page, workflow {common} + Failed", () => Page(failed with { Workflow = common }), 50);
        await Time("runs list: first page, created within one day", () => Page(new RunFilter { CreatedFrom = day, CreatedTo = day.AddDays(1) }), 50);
        await Time("runs list: first page, search text", () => Page(new RunFilter { Search = "c-004242" }), 50);
        await Time("runs list: first page, search text in errors", () => Page(new RunFilter { Search = "card was declined" }), 50);
        var region = new RunFilter { Tags = [new RunTag("region", StoreSeeder.Regions[0])] };
        await Time("runs list: first page, tag region=eu (a third of the runs)", () => Page(region), 50);
        await Time("runs list: first page, tag customer=c-004242 (a few runs)", () => Page(new RunFilter { Tags = [new RunTag("customer", "c-004242")] }), 50);
        await Time("runs list: first page, tag region=eu + Failed", () => Page(region with { Statuses = [RunStatus.Failed] }), 50);
        await Time("runs list: first page oldest first, tag region=eu", () => Page(region, order: RunOrder.OldestFirst), 50);
        var region100 = await CursorOfPage(region, 100);
        await Time("runs list: page 100 by keyset, tag region=eu", () => Page(region, region100), 50);
        await Time("runs list: first page, failed at a step with an exception type", () => Page(failed with { FailedStep = "notify", ErrorType = "System.InvalidOperationException" }), 50);
        var page100 = await CursorOfPage(new RunFilter(), 100);
        await Time("runs list: page 100 by keyset, no filter", () => Page(new RunFilter(), page100), 50);
        var failed100 = await CursorOfPage(failed, 100);
        await Time("runs list: page 100 by keyset, status Failed", () => Page(failed, failed100), 50);
        await Time("runs list: first page oldest first, status Failed", () => Page(failed, order: RunOrder.OldestFirst), 50);
        var oldest100 = await CursorOfPage(new RunFilter(), 100, RunOrder.OldestFirst);
        await Time("runs list: page 100 oldest first, no filter", () => Page(new RunFilter(), oldest100, RunOrder.OldestFirst), 50);
        await Time("runs list: matching count, no filter", async () => $"{await queries.CountAsync(new RunFilter()):N0} runs", 50);
        await Time("runs list: matching count, status Failed", async () => $"{await queries.CountAsync(failed):N0} runs", 50);
        await Time("overview: counts by status", async () => $"{(await queries.CountByStatusAsync()).Count} statuses", 50);
        await Time("overview: throughput, last hour", async () => $"{(await queries.ThroughputAsync(TimeSpan.FromHours(1))).Count} points", 50);
        await Time("overview: throughput, 7 days in 2-hour bars", async () => $"{(await queries.ThroughputAsync(TimeSpan.FromDays(7), TimeSpan.FromHours(2))).Count} points", 50);
        await Time("overview: failures by cause, last day", async () => $"{(await queries.FailureGroupsAsync(DateTimeOffset.UtcNow.AddDays(-1))).Count} groups", 50);
        await Time("overview: workflow stats and backlog, last hour", async () => $"{(await queries.OverviewAsync(DateTimeOffset.UtcNow.AddHours(-1))).Workflows.Count} workflows", 50);
        await Time("overview: workflow stats and backlog, 7 days", async () => $"{(await queries.OverviewAsync(DateTimeOffset.UtcNow.AddDays(-7))).Workflows.Count} workflows", 50);
        await Time("failed view: failures by cause, all time", async () => $"{(await queries.FailureGroupsAsync(DateTimeOffset.MinValue)).Count} groups", 50);
        await Time("run detail: timeline of a 3-step run", async () => $"{(await queries.GetTimelineAsync(seeder.SmallRunId))?.Steps.Count} steps", 50);
        await Time("run detail: timeline of the 1,000-step run", async () => $"{(await queries.GetTimelineAsync(seeder.LargeRunId))?.Steps.Count} steps", 300);
        return results;
    }

    private static void Register(FlowDashboardBuilder builder)
    {
        foreach (var workflow in StoreSeeder.Workflows) builder.AddWorkflow<SeedInput>(workflow, _ => Task.CompletedTask);
    }

    /// <summary>The seeded workflows' input.</summary>
    /// <param name="OrderId">An order.</param>
    /// <param name="Customer">A customer.</param>
    public sealed record SeedInput(int OrderId, string Customer);
}
