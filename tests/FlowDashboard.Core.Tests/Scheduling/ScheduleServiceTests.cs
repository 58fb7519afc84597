using System.Security.Claims;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using FlowDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Scheduling;

/// <summary>Schedules on the real engine: the store, Hangfire's recurring jobs, a restart on the same file.</summary>
public sealed class ScheduleServiceTests : IDisposable
{
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));

    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-schedules-" + Guid.NewGuid().ToString("N"));
    private int ticks;

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task CreateAsync_EverySecond_StartsOneRunPerFireTimeRecordingScheduleAndFireTime()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);

        await schedules.CreateAsync(Operator, "tick", Every("* * * * * *"), TestContext.Current.CancellationToken);
        var runs = await WaitForRunsAsync(schedules, "tick", atLeast: 2);

        Assert.All(runs, run => Assert.Equal("schedule", run.Source));
        var timeline = (await Queries(host).GetTimelineAsync(runs[0].RunId, TestContext.Current.CancellationToken))!;
        Assert.Equal("tick", timeline.SourceRef);
        Assert.Equal(ScheduleFirer.RunIdFor("tick", timeline.ScheduledFor!.Value), timeline.RunId);
        Assert.Equal("tick", timeline.Tags[ScheduleFirer.ScheduleTag]);
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
        var history = await schedules.HistoryAsync("tick", TestContext.Current.CancellationToken);
        Assert.Equal(("ops@example.com", "create-schedule"), (history[^1].Actor, history[^1].Action));
    }

    [Fact]
    public async Task CreateAsync_Paused_StartsNothing()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);

        await schedules.CreateAsync(Operator, "paused", Every("* * * * * *") with { Enabled = false }, TestContext.Current.CancellationToken);
        await schedules.CreateAsync(Operator, "witness", Every("* * * * * *"), TestContext.Current.CancellationToken);
        await WaitForRunsAsync(schedules, "witness", atLeast: 2);

        // Two fire times of the enabled witness have passed: the paused one had as many chances.
        Assert.Empty(await schedules.RunsAsync("paused", 10, TestContext.Current.CancellationToken));
        Assert.Null((await schedules.GetAsync("paused", TestContext.Current.CancellationToken))!.NextFireAt);
    }

    [Fact]
    public async Task UpdateAsync_NewCadence_TakesEffectAtOnce()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);
        await schedules.CreateAsync(Operator, "yearly", Every("0 0 1 1 *"), TestContext.Current.CancellationToken);
        Assert.Empty(await schedules.RunsAsync("yearly", 10, TestContext.Current.CancellationToken));

        await schedules.UpdateAsync(Operator, "yearly", Every("* * * * * *"), TestContext.Current.CancellationToken);

        await WaitForRunsAsync(schedules, "yearly", atLeast: 1);
        Assert.Equal("Every second", (await schedules.GetAsync("yearly", TestContext.Current.CancellationToken))!.Description);
    }

    [Fact]
    public async Task DeleteAsync_RunningSchedule_StopsFiringAndKeepsItsRuns()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);
        await schedules.CreateAsync(Operator, "doomed", Every("* * * * * *"), TestContext.Current.CancellationToken);
        await schedules.CreateAsync(Operator, "witness", Every("* * * * * *"), TestContext.Current.CancellationToken);
        await WaitForRunsAsync(schedules, "doomed", atLeast: 1);

        await schedules.DeleteAsync(Operator, "doomed", TestContext.Current.CancellationToken);

        // A fire that read the schedule just before the delete may still start its run: count once the witness
        // has fired again, then let it fire twice more.
        var witnessed = (await schedules.RunsAsync("witness", 100, TestContext.Current.CancellationToken)).Count;
        await WaitForRunsAsync(schedules, "witness", atLeast: witnessed + 1);
        var kept = (await schedules.RunsAsync("doomed", 100, TestContext.Current.CancellationToken)).Count;
        await WaitForRunsAsync(schedules, "witness", atLeast: witnessed + 3);

        Assert.Null(await schedules.GetAsync("doomed", TestContext.Current.CancellationToken));
        Assert.Equal(kept, (await schedules.RunsAsync("doomed", 100, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task TwoNodes_ScheduleMadeOnOneAndPausedOnTheOther_FiresOncePerFireTimeThenStopsOnBoth()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Two nodes share a PostgreSQL store; a SQLite store has one process.");
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await Service(a).CreateAsync(Operator, "shared", Every("* * * * * *"), TestContext.Current.CancellationToken);
        await Service(a).CreateAsync(Operator, "witness", Every("* * * * * *"), TestContext.Current.CancellationToken);

        // Both nodes' recurring schedulers watch the one schedule: each fire time starts one run, whichever node fires it.
        var runs = await WaitForRunsAsync(Service(b), "shared", atLeast: 4);
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledFor).Distinct().Count());

        // Paused on the other node: neither fires it again (a fire that read it just before may still start its run).
        await Service(b).PauseAsync(Operator, "shared", TestContext.Current.CancellationToken);
        var witnessed = (await Service(a).RunsAsync("witness", 100, TestContext.Current.CancellationToken)).Count;
        await WaitForRunsAsync(Service(a), "witness", atLeast: witnessed + 1);
        var kept = (await Service(a).RunsAsync("shared", 100, TestContext.Current.CancellationToken)).Count;
        await WaitForRunsAsync(Service(a), "witness", atLeast: witnessed + 4);
        Assert.Equal(kept, (await Service(a).RunsAsync("shared", 100, TestContext.Current.CancellationToken)).Count);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce, 1)]
    [InlineData(MisfirePolicy.Skip, 0)]
    public async Task Restart_AfterMissedFireTimes_FollowsTheMisfirePolicy(MisfirePolicy policy, int catchUpRuns)
    {
        await using (var first = await StartAsync())
        {
            // Once a year, so no regular fire comes while the test runs.
            await Service(first).CreateAsync(Operator, "yearly", Every("0 0 1 1 *") with { Misfire = policy }, TestContext.Current.CancellationToken);

            // The application was down for the last two years: two fire times passed unseen.
            await first.WithStoreAsync(db => db.Schedules.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastFireAt, DateTime.UtcNow.AddYears(-2))));
        }

        await using var second = await StartAsync();
        var runs = await Service(second).RunsAsync("yearly", 10, TestContext.Current.CancellationToken);

        Assert.Equal(catchUpRuns, runs.Count);
        if (catchUpRuns == 1)
        {
            var latest = new DateTimeOffset(DateTime.UtcNow.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(ScheduleFirer.RunIdFor("yearly", latest), runs[0].RunId);
        }
    }

    [Fact]
    public async Task BackfillAsync_Twice_StartsOneRunPerFireTime()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);
        // Paused: a backfill starts runs all the same, and no regular fire at the top of the hour adds one.
        await schedules.CreateAsync(Operator, "hourly", Every("0 * * * *") with { Enabled = false }, TestContext.Current.CancellationToken);
        var to = DateTimeOffset.UtcNow;
        var from = to.AddHours(-3);

        var first = await schedules.BackfillAsync(Operator, "hourly", from, to, TestContext.Current.CancellationToken);
        var again = await schedules.BackfillAsync(Operator, "hourly", from, to, TestContext.Current.CancellationToken);

        Assert.Equal(3, first.Started);
        Assert.Equal(new BackfillResult(0, 3), again);
        Assert.Equal(3, (await schedules.RunsAsync("hourly", 10, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task CreateAsync_Invalid_NamesEachFieldAndSavesNothing()
    {
        await using var host = await StartAsync();
        var schedules = Service(host);

        var error = await Assert.ThrowsAsync<InvalidScheduleException>(() => schedules.CreateAsync(
            Operator, "bad name!", new ScheduleDefinition { Workflow = "count", Cron = "61 * * * *", TimeZone = "Mars/Olympus", Input = "\"nine\"" },
            TestContext.Current.CancellationToken));

        Assert.Equal(["cron", "input", "name", "timeZone"], error.Errors.Keys.Order());
        Assert.Empty(await schedules.ListAsync(TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<InvalidScheduleException>(() => schedules.CreateAsync(
            Operator, "nope", Every("* * * * *") with { Workflow = "nope" }, TestContext.Current.CancellationToken));
        Assert.Equal(["workflow"], unknown.Errors.Keys);
    }

    [Fact]
    public async Task Changes_ReadOnly_AreRefused()
    {
        await using var host = await StartAsync(readOnly: true);
        var schedules = Service(host);

        await Assert.ThrowsAsync<OperationForbiddenException>(() => schedules.CreateAsync(Operator, "tick", Every("* * * * *"), TestContext.Current.CancellationToken));
        Assert.Empty(await schedules.ListAsync(TestContext.Current.CancellationToken));
    }

    private static ScheduleDefinition Every(string cron) => new() { Workflow = "count", Cron = cron, Input = "1" };

    private static IScheduleService Service(EngineHost host) => host.Services.GetRequiredService<IScheduleService>();

    private static IRunQueryService Queries(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private static async Task<IReadOnlyList<RunSummaryInfo>> WaitForRunsAsync(IScheduleService schedules, string name, int atLeast)
    {
        // Fires every second; the bound is for a loaded machine: in ./test.sh's PostgreSQL pass, beside a test cancelling
        // two thousand runs, Hangfire's recurring scheduler once fired nothing for 22 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<RunSummaryInfo> runs = [];
        while (DateTime.UtcNow < deadline)
        {
            runs = await schedules.RunsAsync(name, 100, TestContext.Current.CancellationToken);
            if (runs.Count >= atLeast) return runs;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Schedule {name} started {runs.Count} run(s), not {atLeast}.");
    }

    private Task<EngineHost> StartAsync(bool readOnly = false) => EngineHost.StartAsync(
        flows => flows.AddWorkflow<int>("count", async ctx => await ctx.RunAsync("tick", _ => Task.FromResult(Interlocked.Increment(ref ticks)))),
        configure: o => o.ReadOnly = readOnly,
        folder: folder);
}
