using System.Security.Claims;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Queries;

/// <summary>Tags: given at trigger time, set from a workflow, inherited by children and restarts, filtered by, acted on in bulk.</summary>
public sealed class TagTests
{
    private static readonly DateTime Start = new(2026, 3, 10, 8, 0, 0, DateTimeKind.Utc);
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TriggerAsync_WithTags_RunAndItsListRowCarryThem()
    {
        await using var host = await StartAsync();
        var tags = new Dictionary<string, string> { ["customer"] = "42", ["region"] = "eu-west" };

        var runId = (await host.Client.TriggerAsync("order", 1, new TriggerOptions { Tags = tags }, Ct)).RunId;
        var batch = await host.Client.TriggerBatchAsync("order", [new BatchItem(null, Json("2")), new BatchItem(null, Json("3"))], new TriggerOptions { Tags = tags }, Ct);

        Assert.Equal(tags, (await host.Client.GetRunAsync(runId, Ct))!.Tags);
        Assert.Equal(tags, (await Queries(host).GetTimelineAsync(runId, Ct))!.Tags);
        var listed = await Queries(host).ListRunsAsync(new RunFilter { Tags = [new RunTag("customer", "42")] }, null, 10, cancellationToken: Ct);
        Assert.Equal(batch.Select(r => r.RunId).Reverse().Append(runId).Order(), listed.Runs.Select(r => r.RunId).Order());
        Assert.All(listed.Runs, r => Assert.Equal(tags, r.Tags));
    }

    [Theory]
    [InlineData("", "x", "Tag key")]
    [InlineData("has space", "x", "Tag key")]
    [InlineData("customer", "", "value of tag 'customer'")]
    [InlineData("customer", "line\nbreak", "value of tag 'customer'")]
    public async Task TriggerAsync_InvalidTag_RefusedAndNothingRecorded(string key, string value, string expected)
    {
        await using var host = await StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Client.TriggerAsync("order", 1, new TriggerOptions { RunId = "tagged", Tags = new Dictionary<string, string> { [key] = value } }, Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Client.GetRunAsync("tagged", Ct));
    }

    [Fact]
    public async Task TriggerAsync_MoreTagsThanARunCarries_Refused()
    {
        await using var host = await StartAsync();
        var tags = Enumerable.Range(0, RunTag.MaxPerRun + 1).ToDictionary(i => $"k{i}", i => "v");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.TriggerAsync("order", 1, new TriggerOptions { Tags = tags }, Ct));

        Assert.Contains($"at most {RunTag.MaxPerRun} tags", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_FromBodyAndFromStep_RecordedOnceAcrossReplaysAndLatestValueWins()
    {
        var executions = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("tagging", async ctx =>
        {
            Interlocked.Increment(ref executions);
            ctx.Tag("order", $"o-{ctx.Input}");
            ctx.Tag("stage", "received");
            await ctx.RunAsync("charge", _ =>
            {
                ctx.Tag("payment", "card");
                return Task.CompletedTask;
            });

            // The run suspends here and is replayed from the top: the tags above are set again, to the same values.
            await ctx.SleepAsync("settle", TimeSpan.FromMilliseconds(300));
            ctx.Tag("stage", "shipped");
        }));

        var runId = (await host.Client.TriggerAsync("tagging", 7, new TriggerOptions { Tags = new Dictionary<string, string> { ["customer"] = "acme" } }, Ct)).RunId;
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.True(executions >= 2, "the run was replayed after its sleep");
        Assert.Equal(
            new Dictionary<string, string> { ["customer"] = "acme", ["order"] = "o-7", ["payment"] = "card", ["stage"] = "shipped" },
            run.Tags);
        var found = await Queries(host).ListRunsAsync(new RunFilter { Tags = [new RunTag("stage", "shipped"), new RunTag("order", "o-7")] }, null, 10, cancellationToken: Ct);
        Assert.Equal(runId, Assert.Single(found.Runs).RunId);
        Assert.Empty((await Queries(host).ListRunsAsync(new RunFilter { Tags = [new RunTag("stage", "received")] }, null, 10, cancellationToken: Ct)).Runs);
    }

    [Fact]
    public async Task Tag_InvalidKeyFromBody_FailsTheRunWithTheReason()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("bad-tag", ctx =>
        {
            ctx.Tag("not a key", "x");
            return Task.CompletedTask;
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("bad-tag", 1, cancellationToken: Ct)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("Tag key 'not a key' is not valid", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAndRestart_NewRunsCarryTheTagsOfTheRunTheyComeFrom()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<int>("child", ctx => ctx.RunAsync("work", _ => Task.FromResult(ctx.Input)))
            .AddWorkflow<int>("parent", async ctx =>
            {
                ctx.Tag("batch", "b-1");
                await ctx.InvokeAsync<int>("call-child", "child", ctx.Input);
            }));
        var parentId = (await host.Client.TriggerAsync("parent", 5, new TriggerOptions { Tags = new Dictionary<string, string> { ["customer"] = "42" } }, Ct)).RunId;
        var parent = await host.WaitForFinalAsync(parentId);
        var childId = parent.Steps.Single(s => s.Kind == StepKind.Invoke).Target!;

        var child = (await host.Client.GetRunAsync(childId, Ct))!;
        var restartedId = await host.Services.GetRequiredService<IOperationsService>().RestartAsync(Operator, parentId, Ct);
        var restarted = (await host.Client.GetRunAsync(restartedId, Ct))!;

        var expected = new Dictionary<string, string> { ["batch"] = "b-1", ["customer"] = "42" };
        Assert.Equal(expected, child.Tags);
        Assert.Equal(expected, restarted.Tags);
    }

    [Theory]
    [InlineData(RunOrder.NewestFirst, 7)]
    [InlineData(RunOrder.OldestFirst, 7)]
    [InlineData(RunOrder.NewestFirst, 50)]
    [InlineData(RunOrder.OldestFirst, 3)]
    public async Task ListRunsAsync_ByTag_PagesInOrderWithoutGapsAndCountAgrees(RunOrder order, int pageSize)
    {
        await using var host = await StartAsync();

        // Three runs share each creation time, so the id breaks the tie, in the tag's index as in the runs'.
        var runs = Enumerable.Range(0, 90)
            .Select(i => (Id: $"run-{i:D3}", Status: i % 4 == 0 ? RunStatus.Failed : RunStatus.Completed, CreatedAt: Start.AddTicks((i / 3) * 10_000_010L),
                Region: i % 3 == 0 ? "eu" : "us", Customer: $"c{i % 10}"))
            .ToList();
        await host.WithStoreAsync(async db =>
        {
            foreach (var run in runs)
            {
                db.Runs.Add(new RunEntity
                {
                    Id = run.Id,
                    Workflow = "order",
                    Status = run.Status,
                    Source = "code",
                    Input = "{}",
                    CreatedAt = run.CreatedAt,
                    UpdatedAt = run.CreatedAt,
                    CompletedAt = run.CreatedAt.AddSeconds(1),
                });
                db.RunTags.Add(new RunTagEntity { RunId = run.Id, Key = "region", Value = run.Region, CreatedAt = run.CreatedAt });
                db.RunTags.Add(new RunTagEntity { RunId = run.Id, Key = "customer", Value = run.Customer, CreatedAt = run.CreatedAt });
            }

            await db.SaveChangesAsync(Ct);
        });
        var cases = new (RunFilter Filter, Func<(string Id, RunStatus Status, DateTime CreatedAt, string Region, string Customer), bool> Expected)[]
        {
            (new RunFilter { Tags = [new RunTag("region", "eu")] }, r => r.Region == "eu"),
            (new RunFilter { Tags = [new RunTag("region", "us")], Statuses = [RunStatus.Failed] }, r => r.Region == "us" && r.Status == RunStatus.Failed),
            (new RunFilter { Tags = [new RunTag("region", "eu"), new RunTag("customer", "c3")] }, r => r.Region == "eu" && r.Customer == "c3"),
            (new RunFilter { Tags = [new RunTag("customer", "c3")], Search = "run-0" }, r => r.Customer == "c3" && r.Id.StartsWith("run-0", StringComparison.Ordinal)),
            (new RunFilter { Tags = [new RunTag("region", "EU")] }, _ => false),
            (new RunFilter { Tags = [new RunTag("regio", "eu")] }, _ => false),
        };

        foreach (var (filter, expected) in cases)
        {
            var matching = runs.Where(expected);
            var want = (order == RunOrder.OldestFirst
                    ? matching.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
                    : matching.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal))
                .Select(r => r.Id).ToList();
            var listed = new List<string>();
            string? cursor = null;
            do
            {
                var page = await Queries(host).ListRunsAsync(filter, cursor, pageSize, order, Ct);
                listed.AddRange(page.Runs.Select(r => r.RunId));
                cursor = page.NextCursor;
            }
            while (cursor is not null && listed.Count <= runs.Count);

            var tags = string.Join(",", filter.Tags!);
            Assert.True(want.SequenceEqual(listed), $"{tags} {(filter.Statuses is [var status] ? status : null)} {filter.Search}: expected [{string.Join(", ", want)}] but listed [{string.Join(", ", listed)}]");
            Assert.Equal(want.Count, await Queries(host).CountAsync(filter, Ct));
        }
    }

    [Fact]
    public async Task StartBulkAsync_ByTag_CancelsOnlyTheTaggedRuns()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("nap", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1))));
        var tagged = new List<string>();
        var others = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var tags = new Dictionary<string, string> { ["tenant"] = i % 3 == 0 ? "t-1" : "t-2" };
            var runId = (await host.Client.TriggerAsync("nap", i, new TriggerOptions { Tags = tags }, Ct)).RunId;
            (i % 3 == 0 ? tagged : others).Add(runId);
        }

        foreach (var runId in tagged.Concat(others)) await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);
        var ops = host.Services.GetRequiredService<IOperationsService>();
        var bulk = await ops.StartBulkAsync(Operator, BulkAction.Cancel, RunSelection.Matching(new RunFilter { Tags = [new RunTag("tenant", "t-1")] }), Ct);
        var done = await Poll.UntilAsync(async () => (await ops.GetBulkAsync(bulk.Id, Ct))!, o => o.Finished, "the bulk cancel to finish");

        Assert.Equal((tagged.Count, 0), (done.Succeeded, done.Failed));
        foreach (var runId in tagged) Assert.Equal(RunStatus.Cancelled, (await host.Client.GetRunAsync(runId, Ct))!.Status);
        foreach (var runId in others) Assert.Equal(RunStatus.Sleeping, (await host.Client.GetRunAsync(runId, Ct))!.Status);
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheRunsTags()
    {
        await using var host = await StartAsync();
        var runId = (await host.Client.TriggerAsync("order", 1, new TriggerOptions { Tags = new Dictionary<string, string> { ["customer"] = "42" } }, Ct)).RunId;
        await host.WaitForFinalAsync(runId);

        await host.Services.GetRequiredService<IOperationsService>().DeleteAsync(Operator, runId, Ct);

        var left = 0;
        await host.WithStoreAsync(async db => left = await db.RunTags.CountAsync(t => t.RunId == runId, Ct));
        Assert.Equal(0, left);
    }

    private static IRunQueryService Queries(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();

    private static Task<EngineHost> StartAsync() =>
        EngineHost.StartAsync(flows => flows.AddWorkflow<int>("order", ctx => ctx.RunAsync("place", _ => Task.FromResult(ctx.Input))));
}
