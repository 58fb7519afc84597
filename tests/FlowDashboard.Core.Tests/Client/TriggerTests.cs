using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Core.Tests.Client;

public sealed class TriggerTests
{
    [Fact]
    public async Task TriggerAsync_SameRunIdTwice_SecondStartsNothing()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("order", ctx => ctx.RunAsync("count", _ => Task.FromResult(Interlocked.Increment(ref runs))))
            .AddWorkflow<Order>("other", ctx => Task.CompletedTask));
        var options = new TriggerOptions { RunId = "order-17" };

        var first = await host.Client.TriggerAsync("order", new Order { Quantity = 1 }, options, TestContext.Current.CancellationToken);
        await host.WaitForFinalAsync("order-17");
        var second = await host.Client.TriggerAsync("order", new Order { Quantity = 2 }, options, TestContext.Current.CancellationToken);

        Assert.Equal((true, false), (first.Created, second.Created));
        Assert.Equal(1, runs);
        Assert.Equal(1, (await host.Client.GetRunAsync("order-17", TestContext.Current.CancellationToken))!.Input!.Value.GetProperty("quantity").GetInt32());
        await Assert.ThrowsAsync<RunConflictException>(() => host.Client.TriggerAsync("other", new Order { Quantity = 1 }, options, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TriggerAsync_SourceOfTheHostsOwnOrNone_IsRecordedByNameAndReadBack()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>("order", ctx => Task.CompletedTask));

        await host.Client.TriggerAsync("order", new Order { Quantity = 1 }, new TriggerOptions { RunId = "hooked", Source = "webhook:stripe" }, TestContext.Current.CancellationToken);
        await host.Client.TriggerAsync("order", new Order { Quantity = 1 }, new TriggerOptions { RunId = "plain" }, TestContext.Current.CancellationToken);

        var hooked = await host.WaitForFinalAsync("hooked");
        var plain = await host.WaitForFinalAsync("plain");
        Assert.Equal(("webhook:stripe", "code"), (hooked.Source.Name, plain.Source.Name));
        Assert.Equal(RunSource.Code, plain.Source);
        Assert.Contains("\"source\":\"webhook:stripe\"", JsonSerializer.Serialize(hooked, JsonSerializerOptions.Web), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TriggerOptions { Source = new string('x', RunSource.MaxLength + 1) });
    }

    [Fact]
    public async Task TriggerAsync_BadArguments_ThrowClearErrorsAndRecordNothing()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>("order", ctx => Task.CompletedTask));
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Client.TriggerAsync("nope", new Order { Quantity = 1 }, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.TriggerAsync("order", new Order { Quantity = 1 }, new TriggerOptions { RunId = "bad id!" }, ct));
        var invalid = await Assert.ThrowsAsync<InvalidWorkflowInputException>(() =>
            host.Client.TriggerAsync("order", JsonDocument.Parse("""{"quantity":"lots"}""").RootElement, new TriggerOptions { RunId = "bad-input" }, ct));
        Assert.True(invalid.Errors.ContainsKey("quantity"));
        var missing = await Assert.ThrowsAsync<InvalidWorkflowInputException>(() =>
            host.Client.TriggerAsync("order", JsonDocument.Parse("{}").RootElement, cancellationToken: ct));
        Assert.True(missing.Errors.ContainsKey("quantity"));
        Assert.Null(await host.Client.GetRunAsync("bad-input", ct));
    }

    [Fact]
    public async Task TriggerAsync_RightAfterABatchOfAThousand_DoesNotWaitForTheBatchsJobs()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "In memory (SQLite's profile) a thousand jobs are created in milliseconds: no queue to jump.");
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>("order", ctx => ctx.RunAsync("go", _ => Task.CompletedTask)));
        var ct = TestContext.Current.CancellationToken;
        var batch = Enumerable.Range(0, 1000).Select(i => new BatchItem($"bulk-{i}", JsonSerializer.SerializeToElement(new Order { Quantity = 1 }))).ToList();

        await host.Client.TriggerBatchAsync("order", batch, cancellationToken: ct);
        await host.Client.TriggerAsync("order", new Order { Quantity = 1 }, new TriggerOptions { RunId = "alone" }, ct);
        await host.WaitForFinalAsync("alone", TimeSpan.FromSeconds(30));

        // On PostgreSQL a job takes a few commits to create: had the run waited for the batch's thousand jobs, every
        // one of them would have started before it.
        var pending = 0;
        await host.WithStoreAsync(async db => pending = await db.Runs.CountAsync(r => r.Id.StartsWith("bulk-") && r.StartedAt == null, ct));
        Assert.True(pending >= 300, $"only {pending} of the batch's runs had not started when the run triggered after it completed");
    }

    [Fact]
    public async Task TriggerAsync_WithDelay_StaysPendingUntilDue()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>("order", ctx => ctx.RunAsync("go", _ => Task.CompletedTask)));
        var started = DateTimeOffset.UtcNow;

        var result = await host.Client.TriggerAsync("order", new Order { Quantity = 1 }, new TriggerOptions { Delay = TimeSpan.FromSeconds(3) }, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Pending, (await host.Client.GetRunAsync(result.RunId, TestContext.Current.CancellationToken))!.Status);
        var run = await host.WaitForFinalAsync(result.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.True(run.Steps[0].StartedAt >= started.AddSeconds(2.9), $"started at {run.Steps[0].StartedAt:O}, triggered at {started:O}");
    }

    [Fact]
    public async Task TriggerBatchAsync_AnyItemInvalid_RecordsNoneAndNamesEachBadItem()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>("order", ctx => Task.CompletedTask));
        var ct = TestContext.Current.CancellationToken;
        BatchItem Item(string? runId, string json) => new(runId, JsonDocument.Parse(json).RootElement);

        var invalid = await Assert.ThrowsAsync<InvalidWorkflowInputException>(() => host.Client.TriggerBatchAsync("order",
            [Item("fine-1", """{"quantity":1}"""), Item("..", """{"quantity":2}"""), Item("fine-3", """{"quantity":"3"}"""), Item("fine-1", """{"quantity":4}""")], cancellationToken: ct));

        Assert.Equal(["[1].runId", "[2].input.quantity", "[3].runId"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Expected a whole number (not in quotes)."], invalid.Errors["[2].input.quantity"]);
        Assert.Null(await host.Client.GetRunAsync("fine-1", ct));
    }

    [Fact]
    public async Task TriggerBatchAsync_AnItemsRunIdBelongsToAnotherWorkflow_RecordsNoneAndNamesTheItem()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("order", ctx => Task.CompletedTask)
            .AddWorkflow<Order>("other", ctx => Task.CompletedTask));
        var ct = TestContext.Current.CancellationToken;
        await host.Client.TriggerAsync("other", new Order { Quantity = 1 }, new TriggerOptions { RunId = "taken" }, ct);
        var input = JsonSerializer.SerializeToElement(new Order { Quantity = 1 });

        var conflict = await Assert.ThrowsAsync<RunConflictException>(() =>
            host.Client.TriggerBatchAsync("order", [new BatchItem("first", input), new BatchItem("taken", input)], cancellationToken: ct));

        Assert.StartsWith("Item [1]:", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await host.Client.GetRunAsync("first", ct));
    }

    [Fact]
    public async Task TriggerBatchAsync_TwoItemsWithOneSingletonKey_StartsOneRunAndAnswersItForBoth()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Customer>(
            "per-customer", ctx => ctx.SleepAsync("hold", TimeSpan.FromHours(1)),
            o => o.FlowControl = new FlowControl { KeyMember = nameof(Customer.Id), SkipIfActive = true }));
        var ct = TestContext.Current.CancellationToken;
        var ada = JsonSerializer.SerializeToElement(new Customer("ada"));

        var results = await host.Client.TriggerBatchAsync("per-customer", [new BatchItem(null, ada), new BatchItem(null, ada)], cancellationToken: ct);

        Assert.Equal(results[0].RunId, results[1].RunId);
        Assert.Equal((true, false), (results[0].Created, results[1].Created));
    }

    /// <summary>An input keyed by customer.</summary>
    public sealed record Customer(string Id);

    /// <summary>An input with a required member, so a missing one is an error.</summary>
    public sealed record Order
    {
        /// <summary>How many.</summary>
        public required int Quantity { get; init; }
    }
}
