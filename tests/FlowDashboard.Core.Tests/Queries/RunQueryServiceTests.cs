using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Queries;

public sealed class RunQueryServiceTests
{
    private static readonly DateTime Start = new(2026, 3, 10, 8, 0, 0, DateTimeKind.Utc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(50, new[] { 50, 50, 20 }, RunOrder.NewestFirst)]
    [InlineData(40, new[] { 40, 40, 40 }, RunOrder.NewestFirst)]
    [InlineData(500, new[] { 120 }, RunOrder.NewestFirst)]
    [InlineData(50, new[] { 50, 50, 20 }, RunOrder.OldestFirst)]
    [InlineData(9, new[] { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 3 }, RunOrder.OldestFirst)]
    public async Task ListRunsAsync_KeysetPages_InOrderWithoutGapsOrDuplicates(int pageSize, int[] pageSizes, RunOrder order)
    {
        await using var host = await StartAsync();

        // Three runs share each creation time (to the tick) so the id breaks the tie; times carry sub-millisecond ticks.
        var runs = Enumerable.Range(0, 120)
            .Select(i => Run(Guid.NewGuid().ToString("N"), "orders", RunStatus.Completed, Start.AddTicks((i / 3) * 10_000_010L)))
            .ToList();
        await SeedAsync(host, runs);

        var pages = new List<RunPage>();
        string? cursor = null;
        do
        {
            var page = await Service(host).ListRunsAsync(new RunFilter(), cursor, pageSize, order, Ct);
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 20);

        Assert.Equal(pageSizes, pages.Select(p => p.Runs.Count));
        Assert.Null(pages[^1].NextCursor);
        var expected = order == RunOrder.OldestFirst
            ? runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList()
            : runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        var listed = pages.SelectMany(p => p.Runs).ToList();
        Assert.Equal(expected.Select(r => r.Id), listed.Select(r => r.RunId));
        Assert.Equal(expected.Select(r => new DateTimeOffset(r.CreatedAt)), listed.Select(r => r.CreatedAt));
        Assert.Equal(120, await Service(host).CountAsync(new RunFilter(), Ct));
    }

    [Fact]
    public async Task ListRunsAsync_Filters_MatchOnlySelectedRunsAndCountAgrees()
    {
        await using var host = await StartAsync();
        var statuses = new[] { RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Completed };
        var runs = Enumerable.Range(0, 60)
            .Select(i =>
            {
                var run = Run($"run-{i:D3}-{(i % 2 == 0 ? "even" : "odd")}", i % 3 == 0 ? "emails" : "orders", statuses[i % 4], Start.AddMinutes(i));
                run.Input = i % 5 == 0 ? $$"""{"customer":"ACME-{{i}}"}""" : $$"""{"customer":"Globex-{{i}}"}""";
                return run;
            })
            .ToList();
        await SeedAsync(host, runs);
        var from = new DateTimeOffset(Start.AddMinutes(10));
        var to = new DateTimeOffset(Start.AddMinutes(20));
        var cases = new (RunFilter Filter, Func<RunEntity, bool> Expected)[]
        {
            (new RunFilter(), _ => true),
            (new RunFilter { Workflow = "emails" }, r => r.Workflow == "emails"),
            (new RunFilter { Statuses = [RunStatus.Failed, RunStatus.Cancelled] }, r => r.Status is RunStatus.Failed or RunStatus.Cancelled),
            (new RunFilter { Statuses = [] }, _ => true),
            (new RunFilter { CreatedFrom = from, CreatedTo = to }, r => r.CreatedAt >= Start.AddMinutes(10) && r.CreatedAt < Start.AddMinutes(20)),
            (new RunFilter { CreatedFrom = from.ToOffset(TimeSpan.FromHours(2)) }, r => r.CreatedAt >= Start.AddMinutes(10)),
            (new RunFilter { Search = "-odd" }, r => r.Id.EndsWith("-odd", StringComparison.Ordinal)),
            (new RunFilter { Search = "run-01" }, r => r.Id.StartsWith("run-01", StringComparison.Ordinal)),
            (new RunFilter { Search = "ACME" }, r => r.Input!.Contains("ACME", StringComparison.Ordinal)),
            (new RunFilter { Search = "acme" }, r => r.Input!.Contains("ACME", StringComparison.Ordinal)),
            (new RunFilter { Search = "-OD" }, r => r.Id.Contains("-od", StringComparison.Ordinal)),
            (new RunFilter { Search = "%" }, _ => false),
            (new RunFilter { Search = "_" }, _ => false),
            (new RunFilter { Workflow = "orders", Statuses = [RunStatus.Completed], Search = "even" },
                r => r.Workflow == "orders" && r.Status == RunStatus.Completed && r.Id.Contains("even", StringComparison.Ordinal)),
        };

        foreach (var (filter, expected) in cases)
        {
            var want = runs.Where(expected).OrderByDescending(r => r.CreatedAt).Select(r => r.Id).ToList();
            var listed = await AllPagesAsync(host, filter, pageSize: 7);
            Assert.True(want.SequenceEqual(listed), $"{Describe(filter)}: expected [{string.Join(", ", want)}] but listed [{string.Join(", ", listed)}]");
            Assert.Equal(want.Count, await Service(host).CountAsync(filter, Ct));
        }
    }

    [Fact]
    public async Task ListRunsAsync_BadCursorOrPageSize_ThrowsArgumentException()
    {
        await using var host = await StartAsync();
        await SeedAsync(host, [Run("only", "orders", RunStatus.Completed, Start)]);
        static string Encoded(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        foreach (var cursor in new[] { "not a cursor!", Encoded("no colon here"), Encoded("-5:run"), Encoded("99999999999999999999:run"), "" })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => Service(host).ListRunsAsync(new RunFilter(), cursor, 10, cancellationToken: Ct));
            Assert.Equal("cursor", error.ParamName);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Service(host).ListRunsAsync(new RunFilter(), null, 0, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Service(host).ListRunsAsync(new RunFilter(), null, 501, cancellationToken: Ct));
    }

    [Fact]
    public async Task CountByStatusAsync_MixedRuns_CountsEachStateAndLeavesOutEmptyOnes()
    {
        await using var host = await StartAsync();
        var statuses = new[] { RunStatus.Completed, RunStatus.Completed, RunStatus.Completed, RunStatus.Failed, RunStatus.Failed, RunStatus.Cancelled };
        await SeedAsync(host, statuses.Select((s, i) => Run($"run-{i}", "orders", s, Start.AddSeconds(i))));

        var counts = await Service(host).CountByStatusAsync(Ct);

        Assert.Equal(
            new Dictionary<RunStatus, int> { [RunStatus.Completed] = 3, [RunStatus.Failed] = 2, [RunStatus.Cancelled] = 1 },
            counts.OrderBy(c => c.Key).ToDictionary());
    }

    [Fact]
    public async Task ThroughputAsync_OneHour_SixtyMinutePointsWithCountsInTheirMinute()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 34, 56, 789, TimeSpan.Zero);
        await using var host = await StartAsync(new FakeTimeProvider(now));
        var thisMinute = new DateTime(2026, 3, 10, 12, 34, 0, DateTimeKind.Utc);
        var firstMinute = thisMinute.AddMinutes(-59);
        await SeedAsync(host,
        [
            Ended("c-now-1", RunStatus.Completed, thisMinute.AddSeconds(10)),
            Ended("c-now-2", RunStatus.Completed, thisMinute.AddSeconds(50)),
            Ended("f-now", RunStatus.Failed, thisMinute.AddSeconds(1)),
            Ended("f-noon", RunStatus.Failed, new DateTime(2026, 3, 10, 12, 0, 30, DateTimeKind.Utc)),
            Ended("c-first", RunStatus.Completed, firstMinute),
            Ended("c-too-old", RunStatus.Completed, firstMinute.AddTicks(-1)),
            Ended("c-yesterday", RunStatus.Completed, thisMinute.AddDays(-1)),
            Ended("x-cancelled", RunStatus.Cancelled, thisMinute.AddSeconds(5)),
        ]);

        var points = await Service(host).ThroughputAsync(TimeSpan.FromHours(1), cancellationToken: Ct);

        Assert.Equal(60, points.Count);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => new DateTimeOffset(firstMinute.AddMinutes(i))), points.Select(p => p.Minute));
        var busy = points.Where(p => p.Completed + p.Failed > 0).Select(p => (p.Minute.UtcDateTime, p.Completed, p.Failed));
        Assert.Equal(
            [(firstMinute, 1, 0), (new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc), 0, 1), (thisMinute, 2, 1)],
            busy);
    }

    [Fact]
    public async Task GetTimelineAsync_CompletedRun_StepsInOrderWithAttemptTimes()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, string>("pipeline", async ctx =>
        {
            var fetched = await ctx.RunAsync("fetch", _ => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("flaky 1")
                : Task.FromResult("payload"), new StepOptions { Retry = new RetryPolicy { Retries = 2, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 } });
            await ctx.SleepAsync("pause", TimeSpan.FromMilliseconds(100));
            return await ctx.RunAsync("save", _ => Task.FromResult(fetched + "!"));
        }));
        var runId = (await host.Client.TriggerAsync("pipeline", 7, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(runId);

        var timeline = (await Service(host).GetTimelineAsync(runId, Ct))!;

        Assert.Equal((runId, "pipeline", RunStatus.Completed, "code", null), (timeline.RunId, timeline.Workflow, timeline.Status, timeline.Source, timeline.SourceRef));
        Assert.Null(timeline.Error);
        Assert.Equal(7, timeline.Input!.Value.GetInt32());
        Assert.Equal("payload!", timeline.Output!.Value.GetString());
        Assert.Equal([("fetch", StepKind.Run), ("pause", StepKind.Sleep), ("save", StepKind.Run)], timeline.Steps.Select(s => (s.Name, s.Kind)));
        Assert.All(timeline.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        var fetch = timeline.Steps[0];
        Assert.Equal([(1, AttemptStatus.Failed), (2, AttemptStatus.Completed)], fetch.Attempts.Select(a => (a.Number, a.Status)));
        Assert.All(fetch.Attempts, a => Assert.True(a.ScheduledAt <= a.StartedAt && a.StartedAt <= a.EndedAt, $"attempt {a.Number}: {a}"));
        Assert.True(fetch.Attempts[1].StartedAt >= fetch.Attempts[0].EndedAt, "the retry started before the failed attempt ended");
        Assert.Empty(timeline.Steps[1].Attempts);
        Assert.NotNull(timeline.Steps[1].WakeAt);
        Assert.True(timeline.Steps[2].StartedAt >= timeline.Steps[1].WakeAt, "the step after the sleep started before it woke");

        // The timeline is a small read: it leaves step outputs, errors and inputs and attempt errors null, though fetch's
        // first attempt failed and fetch and save have outputs. GetStepAsync and the client read them.
        Assert.All(timeline.Steps, s => Assert.True(s.Output is null && s.Error is null && s.Input is null, s.Name));
        Assert.Null(fetch.Attempts[0].Error);
        Assert.Null(fetch.Attempts[0].ErrorType);
        Assert.Null(fetch.Attempts[0].StackTrace);
        var step = (await Service(host).GetStepAsync(runId, "fetch", Ct))!;
        Assert.Equal(("payload", "flaky 1"), (step.Output!.Value.GetString(), step.Attempts[0].Error));
        Assert.NotNull(step.Attempts[0].StackTrace);
        var run = (await host.Client.GetRunAsync(runId, Ct))!;
        Assert.Equal(("payload", "flaky 1"), (run.Steps[0].Output!.Value.GetString(), run.Steps[0].Attempts[0].Error));
    }

    [Fact]
    public async Task GetStepAsync_RetriedStep_ReturnsOutputAndAttemptErrorsWithStackTraces()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("flaky", ctx =>
            ctx.RunAsync("fetch", _ => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("flaky 1")
                : Task.FromResult(new { Answer = 42 }), new StepOptions { Retry = new RetryPolicy { Retries = 2, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 } })));
        var runId = (await host.Client.TriggerAsync("flaky", 0, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(runId);

        var step = (await Service(host).GetStepAsync(runId, "fetch", Ct))!;

        Assert.Equal(("fetch", StepStatus.Completed), (step.Name, step.Status));
        Assert.Equal(42, step.Output!.Value.GetProperty("answer").GetInt32());
        Assert.Equal(2, step.Attempts.Count);
        var failed = step.Attempts[0];
        Assert.Equal(("flaky 1", typeof(InvalidOperationException).FullName), (failed.Error, failed.ErrorType));
        Assert.Contains(nameof(RunQueryServiceTests), failed.StackTrace, StringComparison.Ordinal);
        Assert.Null(step.Attempts[1].Error);
        Assert.Null(await Service(host).GetStepAsync(runId, "missing", Ct));
        Assert.Null(await Service(host).GetStepAsync("no-such-run", "fetch", Ct));
        Assert.Null(await Service(host).GetTimelineAsync("no-such-run", Ct));
    }

    [Fact]
    public async Task ValidateInput_ValidBadOrIncompleteJson_ReturnsErrorsByMember()
    {
        await using var host = await StartAsync();
        var service = Service(host);

        Assert.Empty(service.ValidateInput("order", """{"quantity":2,"note":"rush"}"""));
        Assert.Equal([""], service.ValidateInput("order", """{"quantity":""").Keys);
        Assert.Equal(["quantity"], service.ValidateInput("order", """{"note":"rush"}""").Keys);
        Assert.Equal(["quantity"], service.ValidateInput("order", """{"quantity":0}""").Keys);
        Assert.Equal(["quantity"], service.ValidateInput("order", """{"quantity":"lots"}""").Keys);
        Assert.Throws<WorkflowNotFoundException>(() => service.ValidateInput("nope", "{}"));
    }

    [Fact]
    public async Task Workflows_Registered_ListsNamesWithJsonInputTemplates()
    {
        await using var host = await StartAsync();

        var workflows = Service(host).Workflows();

        Assert.Equal([("count", "Int32"), ("order", "Order")], workflows.Select(w => (w.Name, w.InputType)));
        Assert.All(workflows, w => JsonDocument.Parse(w.InputTemplate).Dispose());
        using var order = JsonDocument.Parse(workflows[1].InputTemplate);
        Assert.Equal(JsonValueKind.Number, order.RootElement.GetProperty("quantity").ValueKind);
        Assert.Equal(JsonValueKind.String, order.RootElement.GetProperty("note").ValueKind);
    }

    [Fact]
    public async Task RunChangeFeed_SubscribeThenDispose_DeliversRunIdsOnlyWhileSubscribed()
    {
        await using var host = await StartAsync();
        var feed = host.Services.GetRequiredService<RunChangeFeed>();
        var seen = new ConcurrentQueue<string>();
        var subscription = feed.Subscribe(seen.Enqueue);

        var firstId = (await host.Client.TriggerAsync("count", 1, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(firstId);
        await Poll.UntilAsync(() => Task.FromResult(seen.ToArray()), s => s.Contains(firstId), "the first run's changes");
        subscription.Dispose();

        // A subscriber added after the dispose sees every later change; the disposed one must see none of them.
        var witness = new ConcurrentQueue<string>();
        using var witnessing = feed.Subscribe(witness.Enqueue);
        var secondId = (await host.Client.TriggerAsync("count", 2, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(secondId);
        await Poll.UntilAsync(() => Task.FromResult(witness.ToArray()), s => s.Contains(secondId), "the second run's changes");

        Assert.DoesNotContain(secondId, seen);
        Assert.All(seen, id => Assert.Equal(firstId, id));
    }

    [Fact]
    public async Task ListRunsAsync_SearchAfterDeleteAndNewRun_FindsEachRunByItsOwnTextOnly()
    {
        await using var host = await StartAsync();
        var first = Run("first-run", "orders", RunStatus.Completed, Start);
        first.Input = """{"customer":"Initech"}""";
        await SeedAsync(host, [first]);
        await host.WithStoreAsync(async db =>
        {
            db.Runs.Remove(first);
            await db.SaveChangesAsync(Ct);
        });

        // SQLite gives the next run the rowid the deleted one had: the index must not answer for the old text.
        var second = Run("second-run", "orders", RunStatus.Completed, Start.AddMinutes(1));
        second.Input = """{"customer":"Hooli"}""";
        await SeedAsync(host, [second]);

        Assert.Empty((await Service(host).ListRunsAsync(new RunFilter { Search = "Initech" }, null, 50, cancellationToken: Ct)).Runs);
        Assert.Empty((await Service(host).ListRunsAsync(new RunFilter { Search = "first-run" }, null, 50, cancellationToken: Ct)).Runs);
        Assert.Equal(["second-run"], (await Service(host).ListRunsAsync(new RunFilter { Search = "Hooli" }, null, 50, cancellationToken: Ct)).Runs.Select(r => r.RunId));
        Assert.Equal(1, await Service(host).CountAsync(new RunFilter { Search = "second" }, Ct));
    }

    private static IRunQueryService Service(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private static Task<EngineHost> StartAsync(FakeTimeProvider? time = null) =>
        EngineHost.StartAsync(
            flows => flows
                .AddWorkflow<Order>("order", ctx => ctx.RunAsync("place", _ => Task.FromResult(ctx.Input.Quantity)))
                .AddWorkflow<int>("count", ctx => ctx.RunAsync("count", _ => Task.FromResult(ctx.Input))),
            time);

    private static RunEntity Run(string id, string workflow, RunStatus status, DateTime createdAt) => new()
    {
        Id = id,
        Workflow = workflow,
        Status = status,
        Source = "code",
        Input = "{}",
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        StartedAt = createdAt,
        CompletedAt = status.IsFinal() ? createdAt.AddSeconds(1) : null,
        Error = status == RunStatus.Failed ? "boom" : null,
    };

    private static RunEntity Ended(string id, RunStatus status, DateTime completedAt)
    {
        var run = Run(id, "orders", status, completedAt.AddSeconds(-1));
        run.CompletedAt = completedAt;
        return run;
    }

    /// <summary>Inserts finished runs in one commit; nothing is due, so the engine leaves them alone whatever their workflow.</summary>
    private static Task SeedAsync(EngineHost host, IEnumerable<RunEntity> runs) =>
        host.WithStoreAsync(async db =>
        {
            db.Runs.AddRange(runs);
            await db.SaveChangesAsync(Ct);
        });

    private static async Task<List<string>> AllPagesAsync(EngineHost host, RunFilter filter, int pageSize)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Service(host).ListRunsAsync(filter, cursor, pageSize, cancellationToken: Ct);
            Assert.InRange(page.Runs.Count, 0, pageSize);
            ids.AddRange(page.Runs.Select(r => r.RunId));
            cursor = page.NextCursor;
        }
        while (cursor is not null && ids.Count <= 1000);

        return ids;
    }

    private static string Describe(RunFilter filter) =>
        $"workflow={filter.Workflow} statuses={string.Join("|", filter.Statuses ?? [])} from={filter.CreatedFrom:O} to={filter.CreatedTo:O} search={filter.Search}";

    /// <summary>An order input: a required, ranged quantity and an optional note.</summary>
    public sealed record Order
    {
        /// <summary>How many.</summary>
        [Range(1, 100)]
        public required int Quantity { get; init; }

        /// <summary>Anything the customer added.</summary>
        public string? Note { get; init; }
    }
}
