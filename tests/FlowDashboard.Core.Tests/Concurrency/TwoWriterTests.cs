using System.Security.Claims;
using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Concurrency;

/// <summary>
/// Writes that read a run and then write it, run by two writers at once: two engines on one PostgreSQL database
/// (two nodes in one test process), or a node and a transaction of the test's own that holds a row at the worst
/// moment. SQLite has one writer per store, so most of these are about PostgreSQL and skipped on SQLite.
/// </summary>
public sealed class TwoWriterTests
{
    private const string SharedOnly = "Two writers share a PostgreSQL store; a SQLite store has one writer (its file lock refuses a second process).";

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public sealed record Job(string Customer, int Number);

    [Fact]
    public async Task LeaseFence_WhileAWriteHoldsIt_AnotherNodeCannotTakeTheLeaseUntilThatWriteCommits()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        await using var host = await EngineHost.StartAsync(_ => { });
        var run = await InsertIdleRunAsync(host, "fenced", lease: ("node-a", DateTime.UtcNow.AddSeconds(-1)));
        await using var a = await WriterAsync(host);
        await using var b = await WriterAsync(host);

        // Node A's write is past its fence (its lease has just expired, but the row still names it)...
        Assert.True(a.Commands.BeginWrite(savepoint: true, new LeaseFence(run.Id, "node-a")));

        // ...so node B's takeover waits for that write: it cannot run the step again while A records it.
        var takeover = Task.Run(() => b.Commands.TakeLease(run, run.Version, "node-b", TimeSpan.FromSeconds(30), RunStatus.Running, DateTime.UtcNow, null), Token);
        await Task.Delay(700, Token);
        Assert.False(takeover.IsCompleted, "another node took the lease while a fenced write was still open");

        await a.CommitAsync();
        Assert.True(await takeover.WaitAsync(TimeSpan.FromSeconds(10), Token));
        await b.CommitAsync();
        Assert.Equal("node-b", await LeaseOwnerAsync(host, run.Id));
    }

    [Fact]
    public async Task TakeLease_RenewedSinceItWasRead_IsRefusedAlthoughTheVersionStillMatches()
    {
        await using var host = await EngineHost.StartAsync(_ => { });

        // Read while node A's lease looked expired; A renewed it since (a renewal does not change the version).
        var stale = await InsertIdleRunAsync(host, "renewed", lease: ("node-a", DateTime.UtcNow.AddSeconds(30)));
        await using var b = await WriterAsync(host);

        Assert.False(b.Commands.TakeLease(stale, stale.Version, "node-b", TimeSpan.FromSeconds(30), RunStatus.Running, DateTime.UtcNow, null));
        await b.CommitAsync();
        Assert.Equal("node-a", await LeaseOwnerAsync(host, stale.Id));
    }

    [Fact]
    public async Task TakeLease_ExecutionEndedSinceTheRunWasRead_IsRefused()
    {
        await using var host = await EngineHost.StartAsync(_ => { });

        // Read while node A's execution held the run (by a clock that judged A's lease expired)...
        var stale = await InsertIdleRunAsync(host, "ended", lease: ("node-a", DateTime.UtcNow.AddSeconds(30)));

        // ...then A's execution completed the run and let it go: the lease is free, but the run is not due any more.
        await using (var a = await WriterAsync(host))
        {
            Assert.True(a.Commands.CompleteRun(stale.Id, "node-a", null, DateTime.UtcNow));
            await a.CommitAsync();
        }

        await using var b = await WriterAsync(host);
        Assert.False(b.Commands.TakeLease(stale, stale.Version, "node-b", TimeSpan.FromSeconds(30), RunStatus.Running, DateTime.UtcNow, null));
        await b.CommitAsync();
        Assert.Null(await LeaseOwnerAsync(host, stale.Id));
    }

    [Fact]
    public async Task TakeLease_NodeClockAnHourAhead_LeaseIsJudgedOnTheDatabaseClockAndStaysWithItsHolder()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "One process owns a SQLite store: its clock is the database's.");
        await using var host = await EngineHost.StartAsync(_ => { });
        var run = await InsertIdleRunAsync(host, "clock", lease: ("node-a", DateTime.UtcNow.AddSeconds(30)));
        await using var b = await WriterAsync(host);

        // Node B's clock runs an hour ahead: by its clock A's lease expired long ago, by the database's it has 30 s left.
        var ahead = DateTime.UtcNow.AddHours(1);
        Assert.False(b.Commands.TakeLease(run, run.Version, "node-b", TimeSpan.FromSeconds(30), RunStatus.Running, ahead, null));
        Assert.False(b.Commands.RenewLease(run.Id, "node-b", TimeSpan.FromSeconds(30), ahead));
        await b.CommitAsync();

        // A renewal sets the expiry from the database's clock too, not from the node's.
        await using var a = await WriterAsync(host);
        Assert.True(a.Commands.RenewLease(run.Id, "node-a", TimeSpan.FromSeconds(30), ahead));
        await a.CommitAsync();
        DateTime? expires = null;
        await host.WithStoreAsync(async db => expires = await db.Runs.Where(r => r.Id == run.Id).Select(r => r.LeaseExpiresAt).SingleAsync(Token));
        Assert.InRange(expires!.Value, DateTime.UtcNow.AddSeconds(20), DateTime.UtcNow.AddSeconds(40));
    }

    [Fact]
    public async Task Deadlock_WithAnotherTransaction_TheBatchRunsAgainAndItsWriteCommitsOnce()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        await using var host = await EngineHost.StartAsync(_ => { });
        var x = await InsertIdleRunAsync(host, "deadlock-x");
        var y = await InsertIdleRunAsync(host, "deadlock-y");
        await using var other = await WriterAsync(host);

        // The other transaction never gives up first: the engine's writer is the one that finds the deadlock.
        await other.Context.Database.ExecuteSqlRawAsync("SET LOCAL deadlock_timeout = '30s'", Token);
        other.Commands.LockRun(x.Id);

        var starts = 0;
        var holdsY = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherWaitsForY = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = host.Services.GetRequiredService<CommitQueue>().WriteAsync(async batch =>
        {
            Interlocked.Increment(ref starts);
            batch.Commands.LockRun(y.Id);
            holdsY.TrySetResult();

            // PostgreSQL looks for a deadlock once, a second into a wait: the cycle must be closed by then, so the
            // writer asks for x only once the other transaction already waits for y.
            await otherWaitsForY.Task;
            batch.Commands.LockRun(x.Id);
            await batch.Db.Runs.Where(r => r.Id == y.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.FailureCount, r => r.FailureCount + 1), Token);
        }, Token);

        // Generous waits: on a loaded two-core machine the writer's first batch once took over 10 s to start.
        await holdsY.Task.WaitAsync(TimeSpan.FromSeconds(60), Token);
        var otherTakesY = Task.Run(() => other.Commands.LockRun(y.Id), Token);
        await Poll.UntilAsync(WaitingForALockAsync, waiting => waiting > 0, "the other transaction to wait for y", TimeSpan.FromSeconds(60));
        otherWaitsForY.TrySetResult();
        await otherTakesY.WaitAsync(TimeSpan.FromSeconds(60), Token);
        await other.CommitAsync();

        await write.WaitAsync(TimeSpan.FromSeconds(60), Token);
        Assert.Equal(2, starts);
        await host.WithStoreAsync(async db => Assert.Equal(1, await db.Runs.Where(r => r.Id == y.Id).Select(r => r.FailureCount).SingleAsync(Token)));
        Assert.Contains("met another transaction", host.Logs.Tail(50), StringComparison.Ordinal);

        async Task<int> WaitingForALockAsync()
        {
            var waiting = 0;
            await host.WithStoreAsync(async db => waiting = await db.Database
                .SqlQueryRaw<int>("""SELECT COUNT(*)::int AS "Value" FROM pg_locks WHERE NOT granted""").SingleAsync(Token));
            return waiting;
        }
    }

    [Fact]
    public async Task MaxInFlight_TwoNodes_TheLimitHoldsAcrossBoth()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        var executing = 0;
        var most = 0;
        void Limited(FlowDashboardBuilder flows) => flows.AddWorkflow<Job>("limited", async ctx =>
        {
            await ctx.RunAsync("work", async ct =>
            {
                var now = Interlocked.Increment(ref executing);
                InterlockedMax(ref most, now);
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref executing);
            });
        }, o => o.FlowControl = new FlowControl { MaxInFlight = 1 });

        await using var a = await EngineHost.StartAsync(Limited);
        await using var b = await EngineHost.StartAsync(Limited, folder: a.Folder);
        var ids = new List<string>();
        for (var i = 0; i < 40; i++) ids.Add((await (i % 2 == 0 ? a : b).Client.TriggerAsync("limited", new Job("c", i), cancellationToken: Token)).RunId);
        var runs = await Task.WhenAll(ids.Select(id => a.WaitForFinalAsync(id, TimeSpan.FromSeconds(60))));

        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task RateLimit_TwoNodes_EveryNodesStartsCount()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        void Rated(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("rated", async ctx =>
        {
            for (var i = 0; i < 3; i++) await ctx.RunAsync("tick", _ => Task.CompletedTask);
        }, o => o.FlowControl = new FlowControl { RateLimit = 4, RatePeriod = TimeSpan.FromMilliseconds(300) });

        await using var a = await EngineHost.StartAsync(Rated);
        await using var b = await EngineHost.StartAsync(Rated, folder: a.Folder);
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add((await (i % 2 == 0 ? a : b).Client.TriggerAsync("rated", i, cancellationToken: Token)).RunId);
        var runs = await Task.WhenAll(ids.Select(id => a.WaitForFinalAsync(id, TimeSpan.FromSeconds(60))));

        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        var ordered = runs.SelectMany(r => r.Steps).Select(s => s.Attempts.Single().StartedAt).Order().ToList();
        Assert.Equal(24, ordered.Count);

        // However the windows fall, no 300 ms holds more than four step starts of both nodes together.
        for (var i = 4; i < ordered.Count; i++) Assert.True(ordered[i] - ordered[i - 4] >= TimeSpan.FromMilliseconds(290), $"five starts within {ordered[i] - ordered[i - 4]}");
    }

    [Fact]
    public async Task NamedNotify_FromAnotherNode_WhileTheRunBeginsItsWait_IsNeverLost()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        void Waiting(FlowDashboardBuilder flows) => flows.AddWorkflow<int, int>("waits", async ctx =>
        {
            await ctx.RunAsync("ready", _ => Task.CompletedTask);
            var received = await ctx.WaitForEventAsync<int>("go", "go", Long);
            return received.TimedOut ? -1 : received.Payload;
        });

        await using var a = await EngineHost.StartAsync(Waiting);
        await using var b = await EngineHost.StartAsync(Waiting, folder: a.Folder);

        // Each notify lands at its own moment of its run: before the wait, as it begins, while the run suspends, or after.
        var random = new Random(7);
        var notifies = new List<Task>();
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var id = (await a.Client.TriggerAsync("waits", i, cancellationToken: Token)).RunId;
            ids.Add(id);
            var number = i;
            var delay = random.Next(0, 40);
            notifies.Add(Task.Run(async () =>
            {
                await Task.Delay(delay, Token);
                await b.Client.NotifyAsync("go", number, id, Token);
            }, Token));
        }

        await Task.WhenAll(notifies);
        var runs = await Task.WhenAll(ids.Select(id => a.WaitForFinalAsync(id, TimeSpan.FromSeconds(60))));

        Assert.All(runs.Select((r, i) => (r, i)), x =>
        {
            Assert.Equal(RunStatus.Completed, x.r.Status);
            Assert.Equal(x.i.ToString(System.Globalization.CultureInfo.InvariantCulture), x.r.Output?.GetRawText());
        });
    }

    [Fact]
    public async Task Cancel_FromAnotherNode_WhileTheRunCompletes_EitherCancelsItOrIsRefused()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        void Short(FlowDashboardBuilder flows) => flows.AddWorkflow<int, int>("short", async ctx =>
        {
            for (var i = 0; i < 3; i++) await ctx.RunAsync($"step-{i}", _ => Task.CompletedTask);
            return ctx.Input;
        });

        await using var a = await EngineHost.StartAsync(Short);
        await using var b = await EngineHost.StartAsync(Short, folder: a.Folder);
        var random = new Random(11);
        var outcomes = new List<Task<(string RunId, bool Cancelled)>>();
        for (var i = 0; i < 40; i++)
        {
            var id = (await a.Client.TriggerAsync("short", i, cancellationToken: Token)).RunId;
            var delay = random.Next(0, 30);
            outcomes.Add(Task.Run(async () =>
            {
                await Task.Delay(delay, Token);
                try
                {
                    await b.Client.CancelAsync(id, Token);
                    return (id, true);
                }
                catch (RunConflictException)
                {
                    return (id, false);
                }
            }, Token));
        }

        foreach (var (runId, cancelled) in await Task.WhenAll(outcomes))
        {
            var run = await a.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));

            // A cancel that was accepted is what the run ends as; one refused found it completed, with every step.
            if (cancelled)
            {
                Assert.Equal(RunStatus.Cancelled, run.Status);
                Assert.Null(run.Output);
            }
            else
            {
                Assert.Equal(RunStatus.Completed, run.Status);
                Assert.Equal(3, run.Steps.Count(s => s.Status == StepStatus.Completed));
            }

            Assert.DoesNotContain(run.Steps, s => s.Status == StepStatus.Running);
        }
    }

    [Fact]
    public async Task RunCounts_TwoWritersCreatingRunsAtOnce_NeitherWaitsForTheOthersCommit()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        await using var host = await EngineHost.StartAsync(_ => { });
        await using var a = await WriterAsync(host);
        List<Writer> sameRow = [];
        try
        {
            // Each connection counts into its own row per state (its backend's pid modulo 16): B on another row than A.
            Writer b;
            while (await ShardAsync(b = await WriterAsync(host)) == await ShardAsync(a)) sameRow.Add(b);
            await using var _ = b;

            Assert.True(a.Commands.InsertRun(CountedRun("count-a")));

            // B's new run is counted while A's count is not committed: with one row per state it would wait for A.
            var inserted = Task.Run(() => b.Commands.InsertRun(CountedRun("count-b")), Token);
            Assert.True(await inserted.WaitAsync(TimeSpan.FromSeconds(5), Token), "B's run was not inserted");
            await b.CommitAsync();
            await a.CommitAsync();

            var counts = await host.Services.GetRequiredService<IRunQueryService>().CountByStatusAsync(Token);
            Assert.Equal(2, counts[RunStatus.Pending]);
        }
        finally
        {
            foreach (var writer in sameRow) await writer.DisposeAsync();
        }
    }

    [Fact]
    public async Task CreateSchedule_SameNameOnTwoNodesAtOnce_OneIsCreatedTheOtherHearsTheNameIsTaken()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, SharedOnly);
        static void Nightly(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("nightly", _ => Task.CompletedTask);
        await using var a = await EngineHost.StartAsync(Nightly);
        await using var b = await EngineHost.StartAsync(Nightly, folder: a.Folder);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));
        var definition = new ScheduleDefinition { Workflow = "nightly", Cron = "0 3 * * *", Input = "1", Enabled = false };

        // Each node reads that the name is free, then inserts: without a lock on the name, the second insert meets
        // the first's key and fails with a database error instead of the validation answer.
        for (var i = 0; i < 10; i++)
        {
            var name = $"nightly-{i}";
            var outcomes = await Task.WhenAll(new[] { a, b }.Select(host => Task.Run(async () =>
            {
                try
                {
                    await host.Services.GetRequiredService<IScheduleService>().CreateAsync(user, name, definition, Token);
                    return "created";
                }
                catch (InvalidScheduleException ex) when (ex.Errors.ContainsKey("name"))
                {
                    return "taken";
                }
            }, Token)));

            Assert.Equal(["created", "taken"], outcomes.Order());
        }
    }

    private static RunEntity CountedRun(string id) =>
        new() { Id = id, Workflow = "elsewhere", Source = "api", CreatedAt = DateTime.UtcNow };

    private static Task<int> ShardAsync(Writer writer) =>
        writer.Context.Database.SqlQueryRaw<int>("SELECT (pg_backend_pid() % 16)::integer AS \"Value\"").SingleAsync(Token);

    private static async Task<RunEntity> InsertIdleRunAsync(EngineHost host, string id, (string Owner, DateTime Expires)? lease = null)
    {
        var now = DateTime.UtcNow;
        var run = new RunEntity
        {
            Id = id,
            Workflow = "elsewhere",
            Status = lease is null ? RunStatus.Pending : RunStatus.Running,
            Source = "api",
            CreatedAt = now,
            UpdatedAt = now,
            LeaseOwner = lease?.Owner,
            LeaseExpiresAt = lease?.Expires,
            Version = 3,
        };

        // Not due: the host's own engine leaves it alone, so only the test's writers touch it.
        await host.WithStoreAsync(async db =>
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(Token);
        });
        return run;
    }

    private static async Task<string?> LeaseOwnerAsync(EngineHost host, string runId)
    {
        string? owner = null;
        await host.WithStoreAsync(async db => owner = await db.Runs.Where(r => r.Id == runId).Select(r => r.LeaseOwner).SingleAsync(Token));
        return owner;
    }

    private static async Task<Writer> WriterAsync(EngineHost host)
    {
        var db = await host.Services.GetRequiredService<IDbContextFactory<FlowDbContext>>().CreateDbContextAsync(Token);
        await db.Database.OpenConnectionAsync(Token);
        var commands = host.Services.GetRequiredService<IStoreProvider>().CreateWriterCommands(db.Database.GetDbConnection());
        var transaction = await db.Database.BeginTransactionAsync(Token);
        commands.Enlist(transaction.GetDbTransaction());
        return new Writer(db, commands, transaction);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>A transaction of the test's own with the writer's prepared statements: the other writer of a race.</summary>
    private sealed class Writer(FlowDbContext context, IWriterCommands commands, IDbContextTransaction transaction) : IAsyncDisposable
    {
        public FlowDbContext Context => context;

        public IWriterCommands Commands => commands;

        public Task CommitAsync() => transaction.CommitAsync(Token);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            commands.Dispose();
            await context.DisposeAsync();
        }
    }
}
