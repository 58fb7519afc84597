using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Queries;

/// <summary>What an on-call operator reads to find what is wrong: search over errors and outputs, failures by cause, the overview's window.</summary>
public sealed class FailureTriageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 34, 56, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_ErrorAndOutputText_FindsTheRunsIgnoringCaseAndFollowsUpdates()
    {
        await using var host = await StartAsync();
        var failed = Run("order-1", "orders", RunStatus.Failed, -10);
        failed.Error = "Step 'reserve' failed: Unknown SKU 'gizmo'";
        var shipped = Run("order-2", "orders", RunStatus.Completed, -9);
        shipped.Output = """{"label":"GADGET-7731"}""";
        var other = Run("order-3", "orders", RunStatus.Completed, -8);
        await SeedAsync(host, [failed, shipped, other]);

        Assert.Equal(["order-1"], await SearchAsync(host, "unknown sku"));
        Assert.Equal(["order-2"], await SearchAsync(host, "gadget-77"));

        // Two characters have no trigram: read by LIKE, over the same columns.
        Assert.Equal(["order-1"], await SearchAsync(host, "Sk"));

        // The index follows a run whose output and error change (a resumed run completes, another fails).
        await host.WithStoreAsync(db => db.Runs.Where(r => r.Id == "order-3").ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Output, """{"label":"WIDGET-1"}""").SetProperty(r => r.Error, "timeout talking to carrier"), Ct));
        await host.WithStoreAsync(db => db.Runs.Where(r => r.Id == "order-2").ExecuteUpdateAsync(s => s.SetProperty(r => r.Output, (string?)null), Ct));

        Assert.Equal(["order-3"], await SearchAsync(host, "widget-1"));
        Assert.Equal(["order-3"], await SearchAsync(host, "CARRIER"));
        Assert.Empty(await SearchAsync(host, "gadget"));
    }

    [Fact]
    public async Task Filter_FailedStepAndErrorType_MatchOnlyRunsThatFailedThereWithThat()
    {
        await using var host = await StartAsync();
        var atReserve = Failed("a", "orders", -30, "reserve", "Shop.OutOfStockException");
        var atCharge = Failed("b", "orders", -20, "charge", "Shop.OutOfStockException");
        var atReserveOther = Failed("c", "orders", -10, "reserve", "System.TimeoutException");
        await SeedAsync(host, [atReserve, atCharge, atReserveOther]);
        var queries = Service(host);

        async Task<string[]> IdsAsync(RunFilter filter) =>
            [.. (await queries.ListRunsAsync(filter, null, 50, cancellationToken: Ct)).Runs.Select(r => r.RunId).Order(StringComparer.Ordinal)];

        Assert.Equal(["a", "c"], await IdsAsync(new RunFilter { FailedStep = "reserve" }));
        Assert.Equal(["a", "b"], await IdsAsync(new RunFilter { ErrorType = "Shop.OutOfStockException" }));
        Assert.Equal(["a"], await IdsAsync(new RunFilter { FailedStep = "reserve", ErrorType = "Shop.OutOfStockException" }));
        Assert.Equal(1, await queries.CountAsync(new RunFilter { FailedStep = "charge" }, Ct));
        Assert.Equal(["b", "c"], await IdsAsync(new RunFilter { RunIds = ["b", "c", "nope"] }));
        Assert.Equal(1, await queries.CountAsync(new RunFilter { RunIds = ["b", "c"], ErrorType = "Shop.OutOfStockException" }, Ct));
    }

    [Fact]
    public async Task FailureGroupsAsync_FailuresOfSeveralCauses_GroupedByWorkflowStepAndTypeLargestFirst()
    {
        await using var host = await StartAsync();
        await SeedAsync(host,
        [
            Failed("r1", "orders", -50, "reserve", "Shop.OutOfStockException"),
            Failed("r2", "orders", -40, "reserve", "Shop.OutOfStockException"),
            Failed("r3", "orders", -5, "reserve", "Shop.OutOfStockException"),
            Failed("c1", "orders", -30, "charge", "Shop.OutOfStockException"),
            Failed("t1", "refunds", -20, "reserve", "Shop.OutOfStockException"),
            Failed("old", "orders", -24 * 60 - 1, "reserve", "Shop.OutOfStockException"),
            Run("fine", "orders", RunStatus.Completed, -3),
        ]);

        var groups = await Service(host).FailureGroupsAsync(Now.AddDays(-1), cancellationToken: Ct);

        // Equal counts: the latest failure first.
        Assert.Equal([("orders", "reserve", 3), ("refunds", "reserve", 1), ("orders", "charge", 1)], groups.Select(g => (g.Workflow, g.Step!, g.Count)));
        var largest = groups[0];
        Assert.Equal("OutOfStockException", largest.ErrorTypeName);
        Assert.Equal(Now.AddMinutes(-50), largest.FirstSeen);
        Assert.Equal(Now.AddMinutes(-5), largest.LastSeen);
        Assert.Equal("Step 'reserve' failed: r3", largest.SampleError);
        Assert.Equal("r3", largest.LatestRunId);

        // The group's filter finds exactly its runs: not the one of the same cause that failed before the window.
        var runs = await Service(host).ListRunsAsync(largest.Filter, null, 50, cancellationToken: Ct);
        Assert.Equal(["r1", "r2", "r3"], runs.Runs.Select(r => r.RunId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OverviewAsync_RunsInAndOutOfTheWindow_CountsPerWorkflowWithPercentilesBacklogAndRetries()
    {
        await using var host = await StartAsync();
        var runs = new List<RunEntity>();

        // Twenty completed orders lasting 1 to 20 s, two failed, one cancelled, one created an hour before the window.
        for (var i = 1; i <= 20; i++)
        {
            var run = Run($"done-{i}", "orders", RunStatus.Completed, -30);
            run.CompletedAt = run.StartedAt!.Value.AddSeconds(i);
            runs.Add(run);
        }

        runs.Add(Failed("bad-1", "orders", -10, "reserve", "Shop.OutOfStockException"));
        runs.Add(Failed("bad-2", "orders", -9, "reserve", "Shop.OutOfStockException"));
        runs.Add(Run("stopped", "orders", RunStatus.Cancelled, -8));
        var before = Run("before", "orders", RunStatus.Completed, -120);
        runs.Add(before);

        // Two due and free (one of them due for 5 minutes), one due but leased, one held by flow control, one waiting out a retry.
        var due = Run("due", "refunds", RunStatus.Pending, -1);
        due.DueAt = Now.UtcDateTime.AddMinutes(-5);
        var dueToo = Run("due-too", "refunds", RunStatus.Pending, -1);
        dueToo.DueAt = Now.UtcDateTime;
        var leased = Run("leased", "refunds", RunStatus.Running, -1);
        leased.DueAt = Now.UtcDateTime.AddMinutes(-1);
        leased.LeaseOwner = "someone";
        leased.LeaseExpiresAt = Now.UtcDateTime.AddMinutes(1);
        var throttled = Run("throttled", "refunds", RunStatus.Pending, -1);
        throttled.DueAt = Now.UtcDateTime.AddMinutes(-1);
        throttled.ThrottledUntil = Now.UtcDateTime.AddSeconds(30);
        var retrying = Run("retrying", "refunds", RunStatus.Running, -1);
        retrying.DueAt = Now.UtcDateTime.AddMinutes(10);
        retrying.Steps.Add(new StepEntity
        {
            RunId = "retrying",
            Name = "refund",
            Kind = StepKind.Run,
            Status = StepStatus.Running,
            StartedAt = Now.UtcDateTime.AddMinutes(-1),
            NextAttemptAt = Now.UtcDateTime.AddMinutes(10),
            AttemptCount = 1,
        });
        runs.AddRange([due, dueToo, leased, throttled, retrying]);
        await SeedAsync(host, runs);

        var stats = await Service(host).OverviewAsync(Now.AddHours(-1), Ct);
        var week = await Service(host).ThroughputAsync(TimeSpan.FromDays(7), TimeSpan.FromHours(2), Ct);

        var orders = Assert.Single(stats.Workflows, w => w.Workflow == "orders");
        Assert.Equal((23, 20, 2, 1), (orders.Started, orders.Completed, orders.Failed, orders.Cancelled));
        Assert.Equal(TimeSpan.FromSeconds(10), orders.P50);
        Assert.Equal(TimeSpan.FromSeconds(19), orders.P95);
        Assert.Equal(2 / 22.0, orders.FailureRate!.Value, 6);
        var refunds = Assert.Single(stats.Workflows, w => w.Workflow == "refunds");
        Assert.Equal((5, 0, null), (refunds.Started, refunds.Completed, refunds.P50));
        Assert.Equal(2, stats.Backlog);
        Assert.Equal(Now.AddMinutes(-5), stats.OldestDueAt);
        Assert.Equal(1, stats.ScheduledRetries);

        // A week in 2-hour bars starts on a whole hour, its last bar holding this hour: every run that ended here is in one.
        Assert.Equal(84, week.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 13, 0, 0, TimeSpan.Zero), week[0].Minute);
        Assert.Equal(23, week.Sum(p => p.Completed + p.Failed));
        Assert.Equal((20, 2), (week[^1].Completed, week[^1].Failed));
    }

    [Fact]
    public async Task ListRunsAsync_RunsAtDifferentPlaces_EachRowSaysWhereItStands()
    {
        await using var host = await StartAsync();
        var waiting = Run("waiting", "orders", RunStatus.Waiting, -3);
        waiting.Steps.Add(new StepEntity { RunId = "waiting", Name = "reserve", Sequence = 0, Kind = StepKind.Run, Status = StepStatus.Completed, StartedAt = waiting.CreatedAt });
        waiting.Steps.Add(new StepEntity
        {
            RunId = "waiting",
            Name = "approval",
            Sequence = 1,
            Kind = StepKind.WaitForEvent,
            Status = StepStatus.Waiting,
            StartedAt = waiting.CreatedAt,
            Target = "approve-42",
            WakeAt = Now.UtcDateTime.AddDays(1),
        });
        var failed = Failed("failed", "orders", -2, "charge", "Shop.CardDeclinedException");
        var cancelled = Run("cancelled", "orders", RunStatus.Cancelled, -1);
        await SeedAsync(host, [waiting, failed, cancelled]);
        await host.WithStoreAsync(async db =>
        {
            db.Audit.Add(new AuditEntity { At = Now.UtcDateTime, Actor = "olga", Action = "cancel", RunId = "cancelled", Detail = "bulk 7f3a" });
            await db.SaveChangesAsync(Ct);
        });

        var rows = (await Service(host).ListRunsAsync(new RunFilter(), null, 50, cancellationToken: Ct)).Runs.ToDictionary(r => r.RunId);

        Assert.Equal(new FlowDashboard.Client.StepContext("approval", StepKind.WaitForEvent, StepStatus.Waiting, "approve-42", Now.AddDays(1)), rows["waiting"].Step);
        Assert.Equal(("charge", StepStatus.Failed), (rows["failed"].Step!.Name, rows["failed"].Step!.Status));
        Assert.Null(rows["cancelled"].Step);
        Assert.Equal(("olga", "bulk 7f3a"), (rows["cancelled"].CancelledBy, rows["cancelled"].CancelDetail));
        Assert.Null(rows["waiting"].CancelledBy);
    }

    [Fact]
    public async Task ThroughputAsync_DayInFifteenMinuteBuckets_NinetySixPointsCountingEachRunInItsBucket()
    {
        await using var host = await StartAsync();
        var thisMinute = new DateTime(2026, 3, 10, 12, 34, 0, DateTimeKind.Utc);
        var first = thisMinute.AddMinutes(-(95 * 15) - 14);
        await SeedAsync(host,
        [
            Ended("first", RunStatus.Completed, first),
            Ended("too-old", RunStatus.Completed, first.AddTicks(-1)),
            Ended("first-bucket-end", RunStatus.Failed, first.AddMinutes(14).AddSeconds(59)),
            Ended("second-bucket", RunStatus.Completed, first.AddMinutes(15)),
            Ended("now", RunStatus.Completed, thisMinute.AddSeconds(30)),
        ]);

        var points = await Service(host).ThroughputAsync(TimeSpan.FromHours(24), TimeSpan.FromMinutes(15), Ct);

        Assert.Equal(96, points.Count);
        Assert.All(points, p => Assert.Equal(TimeSpan.FromMinutes(15), p.Length));
        Assert.Equal(new DateTimeOffset(first), points[0].Minute);
        Assert.Equal((1, 1), (points[0].Completed, points[0].Failed));
        Assert.Equal((1, 0), (points[1].Completed, points[1].Failed));
        Assert.Equal((1, 0), (points[^1].Completed, points[^1].Failed));
        Assert.Equal(4, points.Sum(p => p.Completed + p.Failed));
    }

    private static IRunQueryService Service(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private static Task<EngineHost> StartAsync() =>
        EngineHost.StartAsync(
            flows => flows
                .AddWorkflow<int>("orders", ctx => ctx.RunAsync("reserve", _ => Task.CompletedTask))
                .AddWorkflow<int>("refunds", ctx => ctx.RunAsync("refund", _ => Task.CompletedTask)),
            new FakeTimeProvider(Now));

    private static async Task<string[]> SearchAsync(EngineHost host, string text) =>
        [.. (await Service(host).ListRunsAsync(new RunFilter { Search = text }, null, 50, cancellationToken: Ct)).Runs.Select(r => r.RunId).Order(StringComparer.Ordinal)];

    /// <summary>A run created <paramref name="minutesAgo"/> minutes before <see cref="Now"/>; a final one ended then.</summary>
    private static RunEntity Run(string id, string workflow, RunStatus status, int minutesAgo)
    {
        var at = Now.UtcDateTime.AddMinutes(minutesAgo);
        return new RunEntity
        {
            Id = id,
            Workflow = workflow,
            Status = status,
            Source = "code",
            Input = "0",
            CreatedAt = at,
            UpdatedAt = at,
            StartedAt = at,
            CompletedAt = status.IsFinal() ? at : null,
        };
    }

    /// <summary>A run that failed <paramref name="minutesAgo"/> minutes ago at <paramref name="step"/> with <paramref name="errorType"/>.</summary>
    private static RunEntity Failed(string id, string workflow, int minutesAgo, string step, string errorType)
    {
        var run = Run(id, workflow, RunStatus.Failed, minutesAgo);
        run.Error = $"Step '{step}' failed: {id}";
        run.ErrorType = errorType;
        run.Steps.Add(new StepEntity { RunId = id, Name = "before", Sequence = 0, Kind = StepKind.Run, Status = StepStatus.Completed, StartedAt = run.StartedAt!.Value });
        run.Steps.Add(new StepEntity
        {
            RunId = id,
            Name = step,
            Sequence = 1,
            Kind = StepKind.Run,
            Status = StepStatus.Failed,
            StartedAt = run.StartedAt!.Value,
            CompletedAt = run.CompletedAt,
            Error = id,
            AttemptCount = 3,
        });
        return run;
    }

    private static RunEntity Ended(string id, RunStatus status, DateTime completedAt)
    {
        var run = Run(id, "orders", status, 0);
        run.CreatedAt = run.UpdatedAt = completedAt.AddSeconds(-1);
        run.StartedAt = completedAt.AddSeconds(-1);
        run.CompletedAt = completedAt;
        return run;
    }

    /// <summary>Inserts the runs in one commit; what is due gets no job (its workflow's engine may pick it up: these tests read only).</summary>
    private static Task SeedAsync(EngineHost host, IEnumerable<RunEntity> runs) =>
        host.WithStoreAsync(async db =>
        {
            db.Runs.AddRange(runs);
            await db.SaveChangesAsync(Ct);
        });
}
