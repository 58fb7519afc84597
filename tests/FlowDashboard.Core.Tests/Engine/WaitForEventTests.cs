using System.Collections.Concurrent;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>WaitForEventAsync and NotifyAsync: an event wakes the runs waiting for it, is kept for a named run, or times out.</summary>
public sealed class WaitForEventTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForEventAsync_NotifiedAfterTheWait_RunWaitsThenCompletesWithThePayload()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
            (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long)).Payload));
        var runId = (await host.Client.TriggerAsync("approve", "order-1", cancellationToken: Token)).RunId;

        var waiting = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Waiting);
        var wait = Assert.Single(waiting.Steps);
        Assert.Equal((StepKind.WaitForEvent, StepStatus.Waiting), (wait.Kind, wait.Status));
        var notified = await host.Client.NotifyAsync("order-1", new Approval("ada", 42), cancellationToken: Token);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal([runId], notified.Woken);
        Assert.False(notified.Kept);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(new Approval("ada", 42), run.Output!.Value.Deserialize<Approval>(FlowJson.Data));
        Assert.Equal(StepStatus.Completed, run.Steps[0].Status);
        Assert.False(run.Steps[0].Output!.Value.GetProperty("timedOut").GetBoolean());
    }

    [Fact]
    public async Task NotifyAsync_NamedRunNotWaitingYet_EventIsKeptAndConsumedByItsWait()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
        {
            await ctx.RunAsync("prepare", async ct =>
            {
                entered.TrySetResult();
                await gate.Task.WaitAsync(ct);
            });
            return (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long)).Payload;
        }));
        var runId = (await host.Client.TriggerAsync("approve", "order-2", cancellationToken: Token)).RunId;
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);

        var notified = await host.Client.NotifyAsync("order-2", new Approval("early", 1), runId, Token);
        gate.TrySetResult();
        var run = await host.WaitForFinalAsync(runId);

        Assert.Empty(notified.Woken);
        Assert.True(notified.Kept);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(new Approval("early", 1), run.Output!.Value.Deserialize<Approval>(FlowJson.Data));
        Assert.Equal(StepStatus.Completed, run.Steps.Single(s => s.Name == "approval").Status);
        await host.WithStoreAsync(async db => Assert.Equal(0, await db.PendingEvents.CountAsync(Token)));
    }

    [Fact]
    public async Task NotifyAsync_NamedRunPayloadDoesNotFit_ThrowsNamingTheMemberAndDeliversNothing()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
            (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long)).Payload));
        var runId = (await host.Client.TriggerAsync("approve", "order-typo", cancellationToken: Token)).RunId;
        await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Waiting);

        var refused = await Assert.ThrowsAsync<InvalidEventPayloadException>(() => host.Client.NotifyAsync("order-typo", new { by = "ada", amout = 1 }, runId, Token));
        var empty = await Assert.ThrowsAsync<InvalidEventPayloadException>(() => host.Client.NotifyAsync("order-typo", new { }, runId, Token));

        Assert.Equal(("approval", runId), (refused.Step, refused.RunId));
        Assert.Equal(["'amout' is not a member of Approval: use by, amount."], refused.Errors["amout"]);
        Assert.True(empty.Errors.ContainsKey("by") && empty.Errors.ContainsKey("amount"), string.Join(", ", empty.Errors.Keys));
        var run = await host.Client.GetRunAsync(runId, Token);
        Assert.Equal((RunStatus.Waiting, StepStatus.Waiting), (run!.Status, run.Steps[0].Status));
        await host.WithStoreAsync(async db => Assert.Equal(0, await db.PendingEvents.CountAsync(Token)));

        await host.Client.NotifyAsync("order-typo", new Approval("ada", 1), runId, Token);
        Assert.Equal(new Approval("ada", 1), (await host.WaitForFinalAsync(runId)).Output!.Value.Deserialize<Approval>(FlowJson.Data));
    }

    [Fact]
    public async Task NotifyAsync_KeptPayloadThatDoesNotFit_WaitDropsItSaysWhyAndWaitsForOneThatDoes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
        {
            await ctx.RunAsync("prepare", async ct =>
            {
                entered.TrySetResult();
                await gate.Task.WaitAsync(ct);
            });
            return (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long)).Payload;
        }));
        var runId = (await host.Client.TriggerAsync("approve", "order-early-typo", cancellationToken: Token)).RunId;
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);

        var kept = await host.Client.NotifyAsync("order-early-typo", new { approved = true }, runId, Token);
        gate.TrySetResult();
        var waiting = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Waiting);

        Assert.True(kept.Kept);
        var wait = waiting.Steps.Single(s => s.Name == "approval");
        Assert.Equal(StepStatus.Waiting, wait.Status);
        Assert.Contains("dropped", wait.Error, StringComparison.Ordinal);
        Assert.Contains("approved", wait.Error, StringComparison.Ordinal);
        await host.WithStoreAsync(async db => Assert.Equal(0, await db.PendingEvents.CountAsync(Token)));

        var woken = await host.Client.NotifyAsync("order-early-typo", new Approval("ada", 7), runId, Token);
        Assert.Equal([runId], woken.Woken);
        Assert.Equal(new Approval("ada", 7), (await host.WaitForFinalAsync(runId)).Output!.Value.Deserialize<Approval>(FlowJson.Data));
    }

    [Fact]
    public async Task NotifyAsync_WithoutRunId_WakesEveryRunWaitingForTheEvent()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
            (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long)).Payload));
        var first = (await host.Client.TriggerAsync("approve", "batch-7", cancellationToken: Token)).RunId;
        var second = (await host.Client.TriggerAsync("approve", "batch-7", cancellationToken: Token)).RunId;
        await host.WaitForRunAsync(first, r => r.Status == RunStatus.Waiting);
        await host.WaitForRunAsync(second, r => r.Status == RunStatus.Waiting);

        var notified = await host.Client.NotifyAsync("batch-7", new Approval("ops", 7), cancellationToken: Token);

        Assert.Equal(new[] { first, second }.Order(), notified.Woken.Order());
        Assert.False(notified.Kept);
        foreach (var runId in new[] { first, second })
        {
            var run = await host.WaitForFinalAsync(runId);
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal(new Approval("ops", 7), run.Output!.Value.Deserialize<Approval>(FlowJson.Data));
        }
    }

    [Fact]
    public async Task NotifyAsync_NobodyWaitsAndNoRunNamed_WakesNothingAndKeepsNothing()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string>("idle", _ => Task.CompletedTask));

        var notified = await host.Client.NotifyAsync("nobody-listens", new Approval("x", 0), cancellationToken: Token);

        Assert.Empty(notified.Woken);
        Assert.False(notified.Kept);
        await host.WithStoreAsync(async db => Assert.Equal(0, await db.PendingEvents.CountAsync(Token)));
    }

    [Fact]
    public async Task WaitForEventAsync_TimeoutPasses_TimedOutWithDefaultPayloadAndLaterNotifyChangesNothing()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, EventResult<Approval>>("approve", async ctx =>
        {
            var result = await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, TimeSpan.FromMilliseconds(300));
            await ctx.RunAsync("after", ct => gate.Task.WaitAsync(ct));
            return result;
        }));
        var runId = (await host.Client.TriggerAsync("approve", "late", cancellationToken: Token)).RunId;

        // The wait has timed out and the body is past it: an event now finds no wait to hand itself to.
        await host.WaitForRunAsync(runId, r => r.Steps.Any(s => s.Name == "after"));
        var notified = await host.Client.NotifyAsync("late", new Approval("too late", 9), cancellationToken: Token);
        gate.TrySetResult();
        var run = await host.WaitForFinalAsync(runId);

        Assert.Empty(notified.Woken);
        Assert.False(notified.Kept);
        Assert.Equal(RunStatus.Completed, run.Status);
        var result = run.Output!.Value.Deserialize<EventResult<Approval>>(FlowJson.Data)!;
        Assert.True(result.TimedOut);
        Assert.Null(result.Payload);
        Assert.Equal(result, run.Steps[0].Output!.Value.Deserialize<EventResult<Approval>>(FlowJson.Data));
    }

    [Fact]
    public async Task NotifyAsync_UnknownOrFinalRunNamed_Throws()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string>("quick", ctx => ctx.RunAsync("x", _ => Task.CompletedTask)));
        var runId = (await host.Client.TriggerAsync("quick", "", cancellationToken: Token)).RunId;
        await host.WaitForFinalAsync(runId);

        await Assert.ThrowsAsync<RunNotFoundException>(() => host.Client.NotifyAsync("evt", null, "missing", Token));
        var conflict = await Assert.ThrowsAsync<RunConflictException>(() => host.Client.NotifyAsync("evt", null, runId, Token));
        Assert.Contains("Completed", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenAny_EventArrivesWhileAStepRuns_TheEventBranchWinsAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var winners = new ConcurrentQueue<string>();
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, string>("race", async ctx =>
        {
            var signal = ctx.WaitForEventAsync<string>("signal", ctx.Input, Long);
            var slow = ctx.RunAsync("slow", async ct =>
            {
                slowEntered.TrySetResult();
                await release.Task.WaitAsync(ct);
                return "slow";
            });
            var first = await Task.WhenAny(signal, slow);
            var winner = first == signal ? $"event:{(await signal).Payload}" : await slow;
            winners.Enqueue(winner);
            return winner;
        }),
        configure: o => o.ReconcileInterval = TimeSpan.FromMinutes(10));
        try
        {
            var runId = (await host.Client.TriggerAsync("race", "go", cancellationToken: Token)).RunId;
            await slowEntered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);
            await host.WaitForRunAsync(runId, r => r.Steps.Any(s => s.Name == "signal" && s.Status == StepStatus.Waiting));

            var notified = await host.Client.NotifyAsync("go", "now", cancellationToken: Token);

            // No reconciler comes by: the execution still running the slow step took the event itself.
            var run = await host.WaitForFinalAsync(runId, TimeSpan.FromSeconds(30));

            Assert.Equal([runId], notified.Woken);
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal("event:now", run.Output!.Value.GetString());
            Assert.Equal(["event:now"], winners);
            Assert.Equal(StepStatus.Cancelled, run.Steps.Single(s => s.Name == "slow").Status);
        }
        finally
        {
            // Only now may the slow step finish: the event alone must have ended the race.
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task WaitForEventAsync_ReplayedAfterASleep_KeepsTheReceivedPayload()
    {
        var seen = new ConcurrentQueue<string>();
        var prepared = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, string>("remember", async ctx =>
        {
            await ctx.RunAsync("prepare", _ => Task.FromResult(Interlocked.Increment(ref prepared)));
            var received = await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, Long);
            seen.Enqueue(received.Payload!.By);
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(2));
            return received.Payload.By;
        }));
        var runId = (await host.Client.TriggerAsync("remember", "order-9", cancellationToken: Token)).RunId;
        await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Waiting);

        await host.Client.NotifyAsync("order-9", new Approval("first", 1), cancellationToken: Token);
        await host.WaitForRunAsync(runId, r => r.Status is RunStatus.Sleeping or RunStatus.Completed);
        var second = await host.Client.NotifyAsync("order-9", new Approval("second", 2), cancellationToken: Token);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("first", run.Output!.Value.GetString());
        Assert.Empty(second.Woken);

        // Once when the event arrived, once more replayed after the sleep: the same payload both times.
        Assert.Equal(["first", "first"], seen);
        Assert.Equal(1, prepared);
        Assert.Equal(["prepare", "approval", "nap"], run.Steps.Select(s => s.Name));
    }

    private sealed record Approval(string By, int Amount);
}
