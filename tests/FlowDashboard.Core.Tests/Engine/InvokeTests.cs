using System.Collections.Concurrent;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>InvokeAsync: a child run started by a step, whose end (completed, failed, cancelled) the parent receives.</summary>
public sealed class InvokeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>For the tests that show an arrival is not lost: no reconciler pass may come to the rescue within them.</summary>
    private static void NoReconciler(FlowDashboardOptions options) => options.ReconcileInterval = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task InvokeAsync_ChildCompletes_ParentGetsItsTypedOutput()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order, Receipt>("ship", ctx => ctx.RunAsync("label", _ => Task.FromResult(new Receipt(ctx.Input.Id, "shipped"))))
            .AddWorkflow<int, ChildRunResult<Receipt>>("order", ctx => ctx.InvokeAsync<Receipt>("ship-it", "ship", new Order(ctx.Input))));
        var parentId = (await host.Client.TriggerAsync("order", 7, cancellationToken: Token)).RunId;

        var parent = await host.WaitForFinalAsync(parentId);

        Assert.Equal(RunStatus.Completed, parent.Status);
        var result = Result<Receipt>(parent);
        Assert.True(result.Succeeded);
        Assert.Equal((RunStatus.Completed, new Receipt(7, "shipped"), null), (result.Status, result.Output, result.Error));
        var invoke = Assert.Single(parent.Steps);
        Assert.Equal((StepKind.Invoke, StepStatus.Completed), (invoke.Kind, invoke.Status));

        var child = await host.Client.GetRunAsync(result.RunId, Token);
        Assert.Equal(("ship", RunStatus.Completed, "parent"), (child!.Workflow, child.Status, child.Source));
        var timeline = await host.Services.GetRequiredService<IRunQueryService>().GetTimelineAsync(result.RunId, Token);
        Assert.Equal(parentId, timeline!.SourceRef);
    }

    [Fact]
    public async Task InvokeAsync_ChildFails_ParentGetsFailedWithTheError()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("charge", ctx => ctx.RunAsync("card", _ => throw new NonRetryableException("card declined")))
            .AddWorkflow<int, ChildRunResult<string>>("order", ctx => ctx.InvokeAsync<string>("pay", "charge", new Order(ctx.Input))));

        var parent = await host.WaitForFinalAsync((await host.Client.TriggerAsync("order", 1, cancellationToken: Token)).RunId);

        Assert.Equal(RunStatus.Completed, parent.Status);
        var result = Result<string>(parent);
        Assert.False(result.Succeeded);
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("card declined", result.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await host.Client.GetRunAsync(result.RunId, Token))!.Status);
    }

    [Fact]
    public async Task InvokeAsync_ChildCancelledWhileItSleeps_ParentGetsCancelled()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("slow", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)))
            .AddWorkflow<int, ChildRunResult<string>>("order", ctx => ctx.InvokeAsync<string>("wait-for-it", "slow", new Order(ctx.Input))));
        var parentId = (await host.Client.TriggerAsync("order", 1, cancellationToken: Token)).RunId;
        var childId = $"{parentId}:wait-for-it";
        await host.WaitForRunAsync(childId, r => r.Status == RunStatus.Sleeping);

        await host.Client.CancelAsync(childId, Token);
        var parent = await host.WaitForFinalAsync(parentId);

        Assert.Equal(RunStatus.Completed, parent.Status);
        var result = Result<string>(parent);
        Assert.Equal((childId, RunStatus.Cancelled), (result.RunId, result.Status));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task CancelAsync_ParentWhileChildSleeps_ChildIsCancelledToo()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("slow", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)))
            .AddWorkflow<int>("order", ctx => ctx.InvokeAsync<string>("wait-for-it", "slow", new Order(ctx.Input))));
        var parentId = (await host.Client.TriggerAsync("order", 1, cancellationToken: Token)).RunId;
        var childId = $"{parentId}:wait-for-it";
        await host.WaitForRunAsync(childId, r => r.Status == RunStatus.Sleeping);

        await host.Client.CancelAsync(parentId, Token);

        var parent = await host.Client.GetRunAsync(parentId, Token);
        var child = await host.Client.GetRunAsync(childId, Token);
        Assert.Equal(RunStatus.Cancelled, parent!.Status);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(parent.Steps).Status);
        Assert.Equal(RunStatus.Cancelled, child!.Status);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(child.Steps).Status);
        Assert.Null(child.DueAt);
    }

    [Fact]
    public async Task WhenAll_TwoInvokes_BothChildrenRunAndTheParentGetsBothOutputs()
    {
        var started = new ConcurrentBag<int>();
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order, int>("tenfold", ctx => ctx.RunAsync("multiply", _ =>
            {
                started.Add(ctx.Input.Id);
                return Task.FromResult(ctx.Input.Id * 10);
            }))
            .AddWorkflow<int, int>("sum", async ctx =>
            {
                var results = await Task.WhenAll(
                    ctx.InvokeAsync<int>("first", "tenfold", new Order(1)),
                    ctx.InvokeAsync<int>("second", "tenfold", new Order(2)));
                return results.Sum(r => r.Output);
            }));
        var parentId = (await host.Client.TriggerAsync("sum", 0, cancellationToken: Token)).RunId;

        var parent = await host.WaitForFinalAsync(parentId);

        Assert.Equal(RunStatus.Completed, parent.Status);
        Assert.Equal(30, parent.Output!.Value.GetInt32());
        Assert.Equal([1, 2], started.Order());
        Assert.All(parent.Steps, s => Assert.Equal((StepKind.Invoke, StepStatus.Completed), (s.Kind, s.Status)));
        foreach (var step in new[] { "first", "second" })
        {
            Assert.Equal(RunStatus.Completed, (await host.Client.GetRunAsync($"{parentId}:{step}", Token))!.Status);
        }
    }

    [Fact]
    public async Task InvokeAsync_ChildEndsWhileParentStillRunsAStep_ParentGoesOnOnceTheStepEnds()
    {
        var childGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var localGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var localEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order, int>("gated", ctx => ctx.RunAsync("work", async ct =>
            {
                await childGate.Task.WaitAsync(ct);
                return ctx.Input.Id;
            }))
            .AddWorkflow<int, int>("both", async ctx =>
            {
                var child = ctx.InvokeAsync<int>("child", "gated", new Order(4));
                var local = ctx.RunAsync("local", async ct =>
                {
                    localEntered.TrySetResult();
                    await localGate.Task.WaitAsync(ct);
                    return 3;
                });
                await Task.WhenAll(child, local);
                return (await child).Output + await local;
            }),
            configure: NoReconciler);
        var parentId = (await host.Client.TriggerAsync("both", 0, cancellationToken: Token)).RunId;
        await localEntered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);
        await host.WaitForRunAsync(parentId, r => r.Steps.Any(s => s.Name == "child" && s.Status == StepStatus.Waiting));

        // The child ends while the parent's execution still holds the run for its own step; that step ends after.
        childGate.TrySetResult();
        await host.WaitForRunAsync($"{parentId}:child", r => r.Status == RunStatus.Completed);
        localGate.TrySetResult();

        // No reconciler comes by: the child's end was not lost to the execution that held the run.
        var parent = await host.WaitForFinalAsync(parentId, TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Completed, parent.Status);
        Assert.Equal(7, parent.Output!.Value.GetInt32());
    }

    [Fact]
    public async Task WhenAny_ChildEndsWhileParentRunsAStep_TheChildBranchWinsAtOnce()
    {
        var childGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var localGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var localEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order, int>("gated", ctx => ctx.RunAsync("work", async ct =>
            {
                await childGate.Task.WaitAsync(ct);
                return ctx.Input.Id;
            }))
            .AddWorkflow<int, string>("race", async ctx =>
            {
                var child = ctx.InvokeAsync<int>("child", "gated", new Order(4));
                var local = ctx.RunAsync("local", async ct =>
                {
                    localEntered.TrySetResult();
                    await localGate.Task.WaitAsync(ct);
                    return "local";
                });
                return await Task.WhenAny(child, local) == child ? $"child:{(await child).Output}" : await local;
            }),
            configure: NoReconciler);
        try
        {
            var parentId = (await host.Client.TriggerAsync("race", 0, cancellationToken: Token)).RunId;
            await localEntered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);
            await host.WaitForRunAsync(parentId, r => r.Steps.Any(s => s.Name == "child" && s.Status == StepStatus.Waiting));

            childGate.TrySetResult();
            var parent = await host.WaitForFinalAsync(parentId, TimeSpan.FromSeconds(30));

            Assert.Equal(RunStatus.Completed, parent.Status);
            Assert.Equal("child:4", parent.Output!.Value.GetString());
            Assert.Equal(StepStatus.Cancelled, parent.Steps.Single(s => s.Name == "local").Status);
        }
        finally
        {
            // Only now may the local step finish: the child's end alone must have decided the race.
            localGate.TrySetResult();
        }
    }

    [Fact]
    public async Task InvokeAsync_InputThatDoesNotBind_FailsTheParentWithTheBindingError()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<Order>("ship", _ => Task.CompletedTask)
            .AddWorkflow<int>("order", ctx => ctx.InvokeAsync<string>("ship-it", "ship", new { parcel = "big" })));
        var parentId = (await host.Client.TriggerAsync("order", 1, cancellationToken: Token)).RunId;

        var parent = await host.WaitForFinalAsync(parentId);

        Assert.Equal(RunStatus.Failed, parent.Status);
        Assert.Contains("not valid for workflow 'ship'", parent.Error, StringComparison.Ordinal);
        Assert.Contains("parcel", parent.Error, StringComparison.Ordinal);
        Assert.Empty(parent.Steps);
        Assert.Null(await host.Client.GetRunAsync($"{parentId}:ship-it", Token));
    }

    private static ChildRunResult<T> Result<T>(RunInfo run) => run.Output!.Value.Deserialize<ChildRunResult<T>>(FlowJson.Data)!;

    private sealed record Order(int Id);

    private sealed record Receipt(int Id, string State);
}
