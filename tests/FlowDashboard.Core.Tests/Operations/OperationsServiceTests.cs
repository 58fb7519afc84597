using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Operations;

public sealed class OperationsServiceTests
{
    private static readonly RetryPolicy Fast = new() { Retries = 2, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 };
    private static readonly ClaimsPrincipal Alice = User("alice", "ops");
    private static readonly ClaimsPrincipal Bob = User("bob");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RetryStepAsync_FailedStepFixed_RunCompletesWithEarlierStepMemoized()
    {
        var fixedUp = false;
        var firstCalls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("four", async ctx =>
        {
            await ctx.RunAsync("one", _ => Task.FromResult(Interlocked.Increment(ref firstCalls)));
            await ctx.RunAsync("two", _ => Volatile.Read(ref fixedUp) ? Task.FromResult(2) : throw new NonRetryableException("not yet"));
            await ctx.RunAsync("three", _ => Task.FromResult(3));
            await ctx.RunAsync("four", _ => Task.FromResult(4));
        }));
        var runId = await TriggerAsync(host, "four");
        await WaitForSettledAsync(host, runId, RunStatus.Failed);

        Volatile.Write(ref fixedUp, true);
        await Ops(host).RetryStepAsync(Alice, runId, "two", Ct);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["one", "two", "three", "four"], run.Steps.Select(s => s.Name));
        Assert.Equal(1, firstCalls);
        Assert.Single(run.Steps[0].Attempts);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Completed], run.Steps[1].Attempts.Select(a => a.Status));
        var audit = Assert.Single(await Queries(host).GetAuditAsync(runId, Ct));
        Assert.Equal(("retry-step", "two", "alice", runId), (audit.Action, audit.Target, audit.Actor, audit.RunId));
    }

    [Fact]
    public async Task RetryStepAsync_RetriesExhausted_RetryGetsAFreshBudget()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("flaky", ctx =>
            ctx.RunAsync("call", _ => Interlocked.Increment(ref calls) <= 3
                ? throw new InvalidOperationException($"boom {calls}")
                : Task.FromResult(calls), new StepOptions { Retry = Fast with { Retries = 1 } })));
        var runId = await TriggerAsync(host, "flaky");
        var failed = await WaitForSettledAsync(host, runId, RunStatus.Failed);
        Assert.Equal(2, Assert.Single(failed.Steps).Attempts.Count);

        await Ops(host).RetryStepAsync(Alice, runId, "call", Ct);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(
            [AttemptStatus.Failed, AttemptStatus.Failed, AttemptStatus.Failed, AttemptStatus.Completed],
            Assert.Single(run.Steps).Attempts.Select(a => a.Status));
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task RetryStepAsync_CompletedOrUnknownStepOrRunNotFailed_ThrowsAndChangesNothing()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<int>("broken", async ctx =>
            {
                await ctx.RunAsync("ok", _ => Task.FromResult(1));
                await ctx.RunAsync("bad", _ => throw new NonRetryableException("no"));
            })
            .AddWorkflow<int>("fine", ctx => ctx.RunAsync("ok", _ => Task.FromResult(1))));
        var failedId = await TriggerAsync(host, "broken");
        var completedId = await TriggerAsync(host, "fine");
        var failed = await WaitForSettledAsync(host, failedId, RunStatus.Failed);
        var completed = await WaitForSettledAsync(host, completedId, RunStatus.Completed);
        var ops = Ops(host);

        await Assert.ThrowsAsync<RunConflictException>(() => ops.RetryStepAsync(Alice, failedId, "ok", Ct));
        await Assert.ThrowsAsync<StepNotFoundException>(() => ops.RetryStepAsync(Alice, failedId, "missing", Ct));
        await Assert.ThrowsAsync<RunConflictException>(() => ops.RetryStepAsync(Alice, completedId, "ok", Ct));
        await Assert.ThrowsAsync<RunNotFoundException>(() => ops.RetryStepAsync(Alice, "no-such-run", "ok", Ct));

        Assert.Equal(Describe(failed), Describe((await host.Client.GetRunAsync(failedId, Ct))!));
        Assert.Equal(Describe(completed), Describe((await host.Client.GetRunAsync(completedId, Ct))!));
        Assert.Empty(await Queries(host).GetAuditAsync(failedId, Ct));
        Assert.Empty(await Queries(host).GetAuditAsync(completedId, Ct));
    }

    [Fact]
    public async Task ResumeAsync_BodyThrewOutsideAnyStep_ReplaysBodyAndCompletes()
    {
        var fixedUp = false;
        var before = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("body", async ctx =>
        {
            await ctx.RunAsync("before", _ => Task.FromResult(Interlocked.Increment(ref before)));
            if (!Volatile.Read(ref fixedUp)) throw new InvalidOperationException("body broke");
            await ctx.RunAsync("after", _ => Task.FromResult(2));
        }));
        var runId = await TriggerAsync(host, "body");
        var failed = await WaitForSettledAsync(host, runId, RunStatus.Failed);
        Assert.Contains("body broke", failed.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Completed, Assert.Single(failed.Steps).Status);

        Volatile.Write(ref fixedUp, true);
        await Ops(host).ResumeAsync(Alice, runId, Ct);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(["before", "after"], run.Steps.Select(s => s.Name));
        Assert.Single(run.Steps[0].Attempts);
        Assert.Equal(1, before);
        var audit = Assert.Single(await Queries(host).GetAuditAsync(runId, Ct));
        Assert.Equal(("resume", "alice"), (audit.Action, audit.Actor));
        await Assert.ThrowsAsync<RunConflictException>(() => Ops(host).ResumeAsync(Alice, runId, Ct));
    }

    [Fact]
    public async Task ResumeAsync_RunFailsAgain_EachFailureGetsItsOwnHandlerStep()
    {
        var handled = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "doomed",
            ctx => ctx.RunAsync("charge", _ => throw new NonRetryableException("card declined")),
            o => o.OnFailure = (_, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            }));
        var runId = await TriggerAsync(host, "doomed");
        var first = await WaitForSettledAsync(host, runId, RunStatus.Failed);
        Assert.Equal(["$on-failure"], first.Steps.Where(s => s.Kind == StepKind.FailureHandler).Select(s => s.Name));
        Assert.Equal(1, handled);

        await Ops(host).ResumeAsync(Alice, runId, Ct);
        await host.WaitForRunAsync(runId, r => r.Steps.Any(s => s.Name == "$on-failure#2" && s.Status.IsFinal()));
        var run = await WaitForSettledAsync(host, runId, RunStatus.Failed);

        var handlers = run.Steps.Where(s => s.Kind == StepKind.FailureHandler).ToList();
        Assert.Equal(["$on-failure", "$on-failure#2"], handlers.Select(s => s.Name));
        Assert.All(handlers, h => Assert.Equal(StepStatus.Completed, h.Status));
        Assert.All(handlers, h => Assert.Single(h.Attempts));
        Assert.Equal(2, handled);
        Assert.Equal(2, run.Steps.Single(s => s.Name == "charge").Attempts.Count);
    }

    [Fact]
    public async Task RestartAsync_CompletedRun_StartsNewRunWithSameInputAndAuditsOriginal()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int, int>("double", ctx =>
            ctx.RunAsync("double", _ => Task.FromResult(ctx.Input * 2))));
        var runId = await TriggerAsync(host, "double", 21);
        await host.WaitForFinalAsync(runId);

        var newId = await Ops(host).RestartAsync(Alice, runId, Ct);
        var restarted = await host.WaitForFinalAsync(newId);

        Assert.NotEqual(runId, newId);
        Assert.Equal(RunStatus.Completed, restarted.Status);
        Assert.Equal(42, restarted.Output!.Value.GetInt32());
        var timeline = (await Queries(host).GetTimelineAsync(newId, Ct))!;
        Assert.Equal(("restart", runId, 21), (timeline.Source, timeline.SourceRef, timeline.Input!.Value.GetInt32()));
        var audit = Assert.Single(await Queries(host).GetAuditAsync(runId, Ct));
        Assert.Equal(("restart", "alice"), (audit.Action, audit.Actor));
        Assert.Contains(newId, audit.Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RunNotFoundException>(() => Ops(host).RestartAsync(Alice, "no-such-run", Ct));
    }

    [Fact]
    public async Task DeleteAsync_FinalRun_RemovesRunAndKeepsAuditEntry()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("quick", ctx => ctx.RunAsync("x", _ => Task.FromResult(1))));
        var runId = await TriggerAsync(host, "quick");
        await WaitForSettledAsync(host, runId, RunStatus.Completed);

        await Ops(host).DeleteAsync(Alice, runId, Ct);

        Assert.Null(await host.Client.GetRunAsync(runId, Ct));
        Assert.Null(await Queries(host).GetTimelineAsync(runId, Ct));
        Assert.Null(await Queries(host).GetStepAsync(runId, "x", Ct));
        var audit = Assert.Single(await Queries(host).GetAuditAsync(runId, Ct));
        Assert.Equal(("delete", "alice", runId), (audit.Action, audit.Actor, audit.RunId));
        await Assert.ThrowsAsync<RunNotFoundException>(() => Ops(host).DeleteAsync(Alice, runId, Ct));
    }

    [Fact]
    public async Task DeleteAsync_SleepingOrRunningRun_ThrowsAndKeepsRun()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)))
            .AddWorkflow<int>("busy", ctx => ctx.RunAsync("work", async ct =>
            {
                entered.TrySetResult();
                await release.Task.WaitAsync(ct);
            })));
        var sleepingId = await TriggerAsync(host, "nap");
        var runningId = await TriggerAsync(host, "busy");
        await host.WaitForRunAsync(sleepingId, r => r.Status == RunStatus.Sleeping);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await Assert.ThrowsAsync<RunConflictException>(() => Ops(host).DeleteAsync(Alice, sleepingId, Ct));
        await Assert.ThrowsAsync<RunConflictException>(() => Ops(host).DeleteAsync(Alice, runningId, Ct));

        Assert.Equal(RunStatus.Sleeping, (await host.Client.GetRunAsync(sleepingId, Ct))!.Status);
        Assert.Equal(RunStatus.Running, (await host.Client.GetRunAsync(runningId, Ct))!.Status);
        Assert.Empty(await Queries(host).GetAuditAsync(sleepingId, Ct));
        release.TrySetResult();
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(runningId)).Status);
    }

    [Fact]
    public async Task Actions_OperatePolicyNotMet_AllForbiddenAndNothingChanges()
    {
        await using var host = await StartGuardedAsync(o => o.OperatePolicy = "operators");
        var (failedId, sleepingId) = await SeedFailedAndSleepingAsync(host);
        var ops = Ops(host);

        Assert.False(await ops.CanOperateAsync(Bob));
        Assert.False(await ops.CanOperateAsync(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.True(await ops.CanOperateAsync(Alice));
        Assert.False(ops.IsReadOnly);
        Assert.Empty(await NotForbiddenAsync(Actions(ops, Bob, failedId, sleepingId), "operate policy 'operators'"));
        await AssertUntouchedAsync(host, failedId, sleepingId);
    }

    [Fact]
    public async Task Actions_OperatePolicyMet_ActAndAuditTheIdentityName()
    {
        await using var host = await StartGuardedAsync(o => o.OperatePolicy = "operators");
        var (_, sleepingId) = await SeedFailedAndSleepingAsync(host);
        var ops = Ops(host);

        var started = await ops.TriggerAsync(Alice, "nap", JsonSerializer.SerializeToElement(1), cancellationToken: Ct);
        await ops.CancelAsync(Alice, sleepingId, Ct);

        Assert.Equal("alice", (await Queries(host).GetTimelineAsync(started.RunId, Ct))!.SourceRef);
        Assert.Equal(RunStatus.Cancelled, (await host.Client.GetRunAsync(sleepingId, Ct))!.Status);
        var audit = Assert.Single(await Queries(host).GetAuditAsync(sleepingId, Ct));
        Assert.Equal(("cancel", "alice"), (audit.Action, audit.Actor));
    }

    [Fact]
    public async Task Actions_ReadOnly_AllForbiddenEvenForOperators()
    {
        await using var host = await StartGuardedAsync(o => o.ReadOnly = true);
        var (failedId, sleepingId) = await SeedFailedAndSleepingAsync(host);
        var ops = Ops(host);

        Assert.True(ops.IsReadOnly);
        Assert.False(await ops.CanOperateAsync(Alice));
        Assert.Empty(await NotForbiddenAsync(Actions(ops, Alice, failedId, sleepingId), "read-only"));
        await AssertUntouchedAsync(host, failedId, sleepingId);
    }

    [Fact]
    public async Task TriggerAsync_WithSource_RecordsSourceActorAndAuditEntry()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("quick", ctx => ctx.RunAsync("x", _ => Task.FromResult(1))));
        var options = new TriggerOptions { Source = "console", RunId = "from-console" };

        var started = await Ops(host).TriggerAsync(Alice, "quick", JsonSerializer.SerializeToElement(5), options, Ct);
        await host.WaitForFinalAsync(started.RunId);
        var again = await Ops(host).TriggerAsync(Alice, "quick", JsonSerializer.SerializeToElement(6), options, Ct);

        Assert.Equal(("from-console", true, false), (started.RunId, started.Created, again.Created));
        var timeline = (await Queries(host).GetTimelineAsync(started.RunId, Ct))!;
        Assert.Equal(("console", "alice", 5), (timeline.Source, timeline.SourceRef, timeline.Input!.Value.GetInt32()));
        var row = Assert.Single((await Queries(host).ListRunsAsync(new RunFilter(), null, 10, cancellationToken: Ct)).Runs);
        Assert.Equal(("from-console", "console"), (row.RunId, row.Source));

        // Every operator action is audited; the repeated trigger started nothing, so it records nothing.
        var audit = Assert.Single(await Queries(host).GetAuditAsync(started.RunId, Ct));
        Assert.Equal(("trigger", "alice"), (audit.Action, audit.Actor));
    }

    [Fact]
    public async Task StartBulkAsync_HostStopsMidway_TheOperationGoesOnWhenItStartsAgain()
    {
        const int Runs = 1000;
        static void Nap(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)));
        var folder = Path.Combine(Path.GetTempPath(), "flowdashboard-bulk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string bulkId;
            await using (var first = await EngineHost.StartAsync(Nap, folder: folder))
            {
                var firstId = await TriggerAsync(first, "nap");
                await first.WaitForRunAsync(firstId, r => r.Status == RunStatus.Sleeping);
                await CopySleepingRunAsync(first, firstId, Runs - 1);
                bulkId = (await Ops(first).StartBulkAsync(Alice, BulkAction.Cancel, RunSelection.Matching(new RunFilter { Workflow = "nap" }), Ct)).Id;
                await Poll.UntilAsync(async () => (await Ops(first).GetBulkAsync(bulkId, Ct))!, o => o.Done >= 200, "the operation to be under way", TimeSpan.FromSeconds(60));
            }

            // Started again on the same store: the operation goes on from where it was recorded, and ends.
            await using var second = await EngineHost.StartAsync(Nap, folder: folder);
            var done = await Poll.UntilAsync(async () => (await Ops(second).GetBulkAsync(bulkId, Ct))!, o => o.Finished, "the operation to finish", TimeSpan.FromSeconds(180));
            Assert.Equal((Runs, 0), (done.Succeeded + done.Skipped, done.Failed));
            Assert.Equal(Runs, await Queries(second).CountAsync(new RunFilter { Workflow = "nap", Statuses = [RunStatus.Cancelled] }, Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await TestStore.DropAsync(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartBulkAsync_ItsNodeStopsMidway_AnotherNodeFinishesItAndEitherNodeAnswers()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Two nodes share a PostgreSQL store; a SQLite store has one process.");
        const int Runs = 1000;
        static void Nap(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)));
        await using var b = await EngineHost.StartAsync(Nap, configure: o => o.ReconcileInterval = TimeSpan.FromSeconds(1));
        var a = await EngineHost.StartAsync(Nap, folder: b.Folder);
        string bulkId;
        await using (a)
        {
            var firstId = await TriggerAsync(a, "nap");
            await a.WaitForRunAsync(firstId, r => r.Status == RunStatus.Sleeping);
            await CopySleepingRunAsync(a, firstId, Runs - 1);

            bulkId = (await Ops(a).StartBulkAsync(Alice, BulkAction.Cancel, RunSelection.Matching(new RunFilter { Workflow = "nap", Statuses = [RunStatus.Sleeping] }), Ct)).Id;

            // Node B answers for node A's operation while A carries it out; A then stops before the end.
            await Poll.UntilAsync(async () => (await Ops(b).GetBulkAsync(bulkId, Ct))!, o => o.Done >= 200, "node B to see node A's progress", TimeSpan.FromSeconds(60));
        }

        var done = await Poll.UntilAsync(async () => (await Ops(b).GetBulkAsync(bulkId, Ct))!, o => o.Finished, "node B to finish the operation", TimeSpan.FromSeconds(180));
        Assert.Contains($"Bulk Cancel {bulkId} goes on on this node", b.Logs.ToString(), StringComparison.Ordinal);
        Assert.Equal((Runs, 0), (done.Succeeded + done.Skipped, done.Failed));
        Assert.Equal(Runs, await Queries(b).CountAsync(new RunFilter { Workflow = "nap", Statuses = [RunStatus.Cancelled] }, Ct));
    }

    [Fact]
    public async Task StartBulkAsync_CancelMatchingTwoThousandSleepingRuns_CancelsEveryOne()
    {
        const int Runs = 2000;

        // 2,000 cancels are 2,000 commits; this test is about the bulk operation, not durability across power
        // loss, so commits skip the fsync (synchronous Normal), which roughly halves its time on a busy machine.
        await using var host = await EngineHost.StartAsync(
            flows => flows
                .AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)))
                .AddWorkflow<int>("other", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1))),
            configure: o =>
            {
                if (!TestStore.IsPostgreSql) o.UseSqlite(o.ConnectionString!, SqliteSynchronous.Normal);
            });
        var otherId = await TriggerAsync(host, "other");
        var firstId = await TriggerAsync(host, "nap");
        await host.WaitForRunAsync(otherId, r => r.Status == RunStatus.Sleeping);
        await host.WaitForRunAsync(firstId, r => r.Status == RunStatus.Sleeping);

        // Triggering 2,000 runs through the engine takes 10-20 s here; copies of a real sleeping run take one commit.
        await CopySleepingRunAsync(host, firstId, Runs - 1);
        var sleeping = new RunFilter { Workflow = "nap", Statuses = [RunStatus.Sleeping] };
        Assert.Equal(Runs, await Queries(host).CountAsync(sleeping, Ct));

        var started = await Ops(host).StartBulkAsync(Alice, BulkAction.Cancel, RunSelection.Matching(sleeping), Ct);
        var done = await Poll.UntilAsync(async () => (await Ops(host).GetBulkAsync(started.Id, Ct))!, b => b.Finished, "the bulk cancel to finish", TimeSpan.FromSeconds(180));

        Assert.Equal((Runs, Runs, 0, 0), (done.Total, done.Succeeded, done.Skipped, done.Failed));
        Assert.Equal(("alice", BulkAction.Cancel, (string?)null), (done.Actor, done.Action, done.LastError));
        Assert.Equal(Runs, await Queries(host).CountAsync(new RunFilter { Workflow = "nap", Statuses = [RunStatus.Cancelled] }, Ct));
        Assert.Equal(Runs, await Queries(host).CountAsync(new RunFilter { Workflow = "nap" }, Ct));
        await host.WithStoreAsync(async db => Assert.Equal(Runs, await db.Steps.CountAsync(s => s.Status == StepStatus.Cancelled, Ct)));
        Assert.Equal(RunStatus.Sleeping, (await host.Client.GetRunAsync(otherId, Ct))!.Status);
        Assert.Equal($"bulk {started.Id}", Assert.Single(await Queries(host).GetAuditAsync(firstId, Ct)).Detail);
    }

    [Fact]
    public async Task StartBulkAsync_ResumeFailedAndCompletedRuns_ResumesFailedAndSkipsCompleted()
    {
        var fixedUp = false;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<bool>("maybe", ctx =>
            ctx.RunAsync("go", _ => ctx.Input && !Volatile.Read(ref fixedUp) ? throw new NonRetryableException("not yet") : Task.FromResult(1))));
        var failing = new List<string>();
        var passing = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            failing.Add((await host.Client.TriggerAsync("maybe", true, cancellationToken: Ct)).RunId);
            passing.Add((await host.Client.TriggerAsync("maybe", false, cancellationToken: Ct)).RunId);
        }

        foreach (var id in failing) await WaitForSettledAsync(host, id, RunStatus.Failed);
        foreach (var id in passing) await WaitForSettledAsync(host, id, RunStatus.Completed);

        Volatile.Write(ref fixedUp, true);
        var started = await Ops(host).StartBulkAsync(Alice, BulkAction.Resume, RunSelection.Of([.. failing, .. passing]), Ct);
        var done = await Poll.UntilAsync(async () => (await Ops(host).GetBulkAsync(started.Id, Ct))!, b => b.Finished, "the bulk resume to finish");

        Assert.Equal((10, 5, 5, 0), (done.Total, done.Succeeded, done.Skipped, done.Failed));
        foreach (var id in failing)
        {
            var run = await host.WaitForFinalAsync(id);
            Assert.Equal(RunStatus.Completed, run.Status);
            var audit = Assert.Single(await Queries(host).GetAuditAsync(id, Ct));
            Assert.Equal(("resume", "alice", $"bulk {started.Id}"), (audit.Action, audit.Actor, audit.Detail));
        }

        foreach (var id in passing) Assert.Empty(await Queries(host).GetAuditAsync(id, Ct));
    }

    /// <summary>Adds copies of a sleeping run in one commit: far faster than triggering as many through the engine.</summary>
    private static async Task CopySleepingRunAsync(EngineHost host, string runId, int copies)
    {
        await host.WithStoreAsync(async db =>
        {
            var model = await db.Runs.AsNoTracking().Include(r => r.Steps).SingleAsync(r => r.Id == runId, Ct);
            for (var i = 1; i <= copies; i++)
            {
                var id = Guid.CreateVersion7().ToString("N");
                db.Runs.Add(new RunEntity
                {
                    Id = id,
                    Workflow = model.Workflow,
                    Status = model.Status,
                    Source = model.Source,
                    Input = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CreatedAt = model.CreatedAt.AddMilliseconds(i),
                    UpdatedAt = model.UpdatedAt,
                    StartedAt = model.StartedAt,
                    DueAt = model.DueAt,
                    Version = model.Version,
                    Steps = [.. model.Steps.Select(s => new StepEntity
                    {
                        RunId = id,
                        Name = s.Name,
                        Sequence = s.Sequence,
                        Kind = s.Kind,
                        Status = s.Status,
                        StartedAt = s.StartedAt,
                        WakeAt = s.WakeAt,
                    })],
                });
            }

            await db.SaveChangesAsync(Ct);
        });
    }

    private static IOperationsService Ops(EngineHost host) => host.Services.GetRequiredService<IOperationsService>();

    private static IRunQueryService Queries(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], authenticationType: "test"));

    private static async Task<string> TriggerAsync(EngineHost host, string workflow, int input = 0) =>
        (await host.Client.TriggerAsync(workflow, input, cancellationToken: Ct)).RunId;

    /// <summary>
    /// Waits until the run is in <paramref name="status"/> with nothing left to do and its lease released:
    /// an operator action on a failed run is refused while its execution (or failure handler) still holds it.
    /// </summary>
    private static async Task<RunInfo> WaitForSettledAsync(EngineHost host, string runId, RunStatus status)
    {
        await Poll.UntilAsync(
            async () =>
            {
                (RunStatus, DateTime?, string?) row = default;
                await host.WithStoreAsync(async db =>
                {
                    var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Ct);
                    row = (run.Status, run.DueAt, run.LeaseOwner);
                });
                return row;
            },
            row => row == (status, null, null),
            $"run {runId} to settle as {status}");
        return (await host.Client.GetRunAsync(runId, Ct))!;
    }

    private static string Describe(RunInfo run) =>
        $"{run.Status} {run.DueAt:O} {run.CompletedAt:O} {run.Error} " +
        string.Join(", ", run.Steps.Select(s => $"{s.Name}:{s.Status}:{string.Join("/", s.Attempts.Select(a => a.Status))}"));

    private static Task<EngineHost> StartGuardedAsync(Action<FlowDashboardOptions> configure) =>
        EngineHost.StartAsync(
            flows => flows
                .AddWorkflow<int>("broken", ctx => ctx.RunAsync("bad", _ => throw new NonRetryableException("no")))
                .AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1))),
            configure: configure,
            services: services => services.AddAuthorizationCore(a => a.AddPolicy("operators", p => p.RequireRole("ops"))));

    private static async Task<(string FailedId, string SleepingId)> SeedFailedAndSleepingAsync(EngineHost host)
    {
        var failedId = await TriggerAsync(host, "broken");
        var sleepingId = await TriggerAsync(host, "nap");
        await WaitForSettledAsync(host, failedId, RunStatus.Failed);
        await host.WaitForRunAsync(sleepingId, r => r.Status == RunStatus.Sleeping);
        return (failedId, sleepingId);
    }

    /// <summary>Every operator action once, on runs whose state would allow it.</summary>
    private static IEnumerable<(string Name, Func<Task> Act)> Actions(IOperationsService ops, ClaimsPrincipal user, string failedId, string sleepingId) =>
    [
        ("trigger", () => ops.TriggerAsync(user, "nap", JsonSerializer.SerializeToElement(1), cancellationToken: Ct)),
        ("retry-step", () => ops.RetryStepAsync(user, failedId, "bad", Ct)),
        ("resume", () => ops.ResumeAsync(user, failedId, Ct)),
        ("restart", () => ops.RestartAsync(user, failedId, Ct)),
        ("cancel", () => ops.CancelAsync(user, sleepingId, Ct)),
        ("delete", () => ops.DeleteAsync(user, failedId, Ct)),
        ("bulk", () => ops.StartBulkAsync(user, BulkAction.Cancel, RunSelection.Matching(new RunFilter()), Ct)),
    ];

    /// <summary>Runs each action and returns the names of those that were not refused with a message containing <paramref name="why"/>.</summary>
    private static async Task<List<string>> NotForbiddenAsync(IEnumerable<(string Name, Func<Task> Act)> actions, string why)
    {
        var allowed = new List<string>();
        foreach (var (name, act) in actions)
        {
            try
            {
                await act();
                allowed.Add(name);
            }
            catch (OperationForbiddenException ex) when (!ex.Message.Contains(why, StringComparison.Ordinal))
            {
                allowed.Add($"{name} (refused for another reason: {ex.Message})");
            }
            catch (OperationForbiddenException)
            {
            }
        }

        return allowed;
    }

    private static async Task AssertUntouchedAsync(EngineHost host, string failedId, string sleepingId)
    {
        var queries = Queries(host);
        Assert.Equal(2, await queries.CountAsync(new RunFilter(), Ct));
        Assert.Equal(RunStatus.Failed, (await host.Client.GetRunAsync(failedId, Ct))!.Status);
        Assert.Equal(RunStatus.Sleeping, (await host.Client.GetRunAsync(sleepingId, Ct))!.Status);
        Assert.Empty(await queries.GetAuditAsync(failedId, Ct));
        Assert.Empty(await queries.GetAuditAsync(sleepingId, Ct));
    }
}
