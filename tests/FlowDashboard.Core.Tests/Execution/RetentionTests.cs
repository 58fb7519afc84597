using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// Retention on a real store: finished runs older than their status allows go with every row that belongs to them,
/// nothing younger, unfinished or without a rule goes, and each purge leaves one audit entry.
/// </summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PurgeAsync_RunsPastTheirStatusesAge_GoWithTheirStepsAttemptsEventsAndAuditEntries()
    {
        var time = new FakeTimeProvider(Now);
        await using var host = await StartAsync(time, r =>
        {
            r.Completed = TimeSpan.FromDays(7);
            r.Failed = TimeSpan.FromDays(30);
        });
        await SeedAsync(
            host,
            Finished("completed-10d", RunStatus.Completed, days: 10),
            Finished("completed-2d", RunStatus.Completed, days: 2),
            Finished("failed-40d", RunStatus.Failed, days: 40),
            Finished("failed-10d", RunStatus.Failed, days: 10),
            Finished("cancelled-100d", RunStatus.Cancelled, days: 100),
            Unfinished("running-100d", days: 100));

        var queries = host.Services.GetRequiredService<IRunQueryService>();
        var before = await queries.StoreAsync(Ct);

        var purged = await host.Services.GetRequiredService<RetentionPurger>().PurgeAsync(Ct);

        Assert.Equal(2, purged);

        // What the overview shows of the store: its size, its runs and the oldest of them (the unfinished 100-day-old one stays).
        var after = await queries.StoreAsync(Ct);
        Assert.Equal((6, 4), (before.Runs, after.Runs));
        Assert.Equal(Now.AddDays(-100).AddMinutes(-1), after.OldestRunAt);
        Assert.True(after.SizeBytes > 0, $"The store's size reads {after.SizeBytes} bytes.");
        await host.WithStoreAsync(async db =>
        {
            Assert.Equal(["cancelled-100d", "completed-2d", "failed-10d", "running-100d"], await db.Runs.Select(r => r.Id).OrderBy(id => id).ToListAsync(Ct));
            string[] kept = ["cancelled-100d", "completed-2d", "failed-10d", "running-100d"];
            Assert.Equal(kept, await db.Steps.Select(s => s.RunId).OrderBy(id => id).ToListAsync(Ct));
            Assert.Equal(4, await db.Attempts.CountAsync(Ct));
            Assert.Equal(kept, await db.PendingEvents.Select(e => e.RunId).OrderBy(id => id).ToListAsync(Ct));
            Assert.Equal(kept, await db.Audit.Where(a => a.RunId != null).Select(a => a.RunId!).OrderBy(id => id).ToListAsync(Ct));

            // The purge's own record stays, one per commit, saying what went.
            var purges = await db.Audit.Where(a => a.Action == "purge").OrderBy(a => a.Id).ToListAsync(Ct);
            Assert.Equal(2, purges.Count);
            Assert.All(purges, p => Assert.Equal(("retention", (string?)null), (p.Actor, p.RunId)));
            Assert.StartsWith("1 completed run(s) that finished before 2026-05-25 12:00:00 UTC", purges[0].Detail, StringComparison.Ordinal);
            Assert.StartsWith("1 failed run(s) that finished before 2026-05-02 12:00:00 UTC", purges[1].Detail, StringComparison.Ordinal);
        });
        Assert.Equal(0, await host.Services.GetRequiredService<RetentionPurger>().PurgeAsync(Ct));
    }

    [Fact]
    public async Task PurgeAsync_MoreRunsThanABatch_PurgesThemAllInCommitsOfTheBatchSize()
    {
        var time = new FakeTimeProvider(Now);
        await using var host = await StartAsync(time, r =>
        {
            r.Completed = TimeSpan.FromDays(1);
            r.BatchSize = 2;
        });
        await SeedAsync(host, [.. Enumerable.Range(0, 5).Select(i => Finished($"old-{i}", RunStatus.Completed, days: 2 + i))]);

        Assert.Equal(5, await host.Services.GetRequiredService<RetentionPurger>().PurgeAsync(Ct));

        await host.WithStoreAsync(async db =>
        {
            Assert.Equal(0, await db.Runs.CountAsync(Ct));
            var purges = await db.Audit.Where(a => a.Action == "purge").OrderBy(a => a.Id).Select(a => a.Detail!).ToListAsync(Ct);
            Assert.Equal(["2 completed", "2 completed", "1 completed"], purges.Select(d => string.Join(' ', d.Split(' ').Take(2))));
        });
    }

    [Fact]
    public async Task Engine_WithRetention_PurgesByItselfAtItsInterval()
    {
        var time = new FakeTimeProvider(Now);
        await using var host = await StartAsync(time, r =>
        {
            r.Completed = TimeSpan.FromDays(7);
            r.Interval = TimeSpan.FromMinutes(5);
        });
        await SeedAsync(host, Finished("old", RunStatus.Completed, days: 8), Finished("young", RunStatus.Completed, days: 6));

        // The engine's clock drives the purge's timer: nothing goes before its interval has passed.
        await host.WithStoreAsync(async db => Assert.Equal(2, await db.Runs.CountAsync(Ct)));
        time.Advance(TimeSpan.FromMinutes(5));

        await Poll.UntilAsync(
            async () =>
            {
                var ids = new List<string>();
                await host.WithStoreAsync(async db => ids.AddRange(await db.Runs.Select(r => r.Id).ToListAsync(Ct)));
                return ids;
            },
            ids => ids.SequenceEqual(["young"]),
            "the old run purged and the young one kept");
    }

    private static Task<EngineHost> StartAsync(FakeTimeProvider time, Action<RetentionOptions> retention) =>
        EngineHost.StartAsync(flows => flows.AddWorkflow<int>("orders", _ => Task.CompletedTask), time, o => retention(o.Retention));

    // A run that finished the given number of days ago, with a step, an attempt, a waiting event and an audit entry of its own.
    private static RunEntity Finished(string id, RunStatus status, int days)
    {
        var at = Now.UtcDateTime.AddDays(-days);
        return new RunEntity
        {
            Id = id,
            Workflow = "orders",
            Source = RunSource.Api,
            Status = status,
            Input = "0",
            CreatedAt = at.AddMinutes(-1),
            StartedAt = at.AddMinutes(-1),
            CompletedAt = at,
            UpdatedAt = at,
        };
    }

    private static RunEntity Unfinished(string id, int days)
    {
        var run = Finished(id, RunStatus.Running, days);
        run.CompletedAt = null;
        return run;
    }

    private static Task SeedAsync(EngineHost host, params RunEntity[] runs) => host.WithStoreAsync(async db =>
    {
        foreach (var run in runs)
        {
            db.Runs.Add(run);
            var step = new StepEntity { RunId = run.Id, Name = "work", Sequence = 0, Kind = StepKind.Run, Status = StepStatus.Completed, StartedAt = run.CreatedAt };
            db.Steps.Add(step);
            await db.SaveChangesAsync(Ct);
            db.Attempts.Add(new AttemptEntity { StepId = step.Id, Number = 1, Status = AttemptStatus.Completed, ScheduledAt = run.CreatedAt, StartedAt = run.CreatedAt, EndedAt = run.CompletedAt });
            db.PendingEvents.Add(new PendingEventEntity { RunId = run.Id, EventId = "late-" + run.Id, CreatedAt = run.CreatedAt });
            db.Audit.Add(new AuditEntity { At = run.CreatedAt, Actor = "ada", Action = "trigger", RunId = run.Id });
        }

        await db.SaveChangesAsync(Ct);
    });
}
