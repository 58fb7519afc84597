using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// The engine's jobs run without Hangfire's global filters: no culture parameters written when a job is created, no
/// statistics counters when it succeeds (statements every job paid on a database storage, for nothing the engine uses).
/// </summary>
public sealed class EngineJobFiltersTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_ItsJobSucceeds_WithNoCultureParametersAndNoStatisticsHistory()
    {
        await using var host = await EngineHost.StartAsync(builder => builder.AddWorkflow<int>("one-step", async ctx =>
        {
            await ctx.RunAsync("only", _ => Task.CompletedTask);
        }));

        var runId = (await host.Client.TriggerAsync("one-step", 1, cancellationToken: Token)).RunId;
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(runId)).Status);

        var storage = host.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        var job = await Poll.UntilAsync(
            () => Task.FromResult(monitoring.SucceededJobs(0, 100).FirstOrDefault(j => Equals(j.Value.Job?.Args[0], runId))),
            j => j.Key is not null,
            $"run {runId}'s Hangfire job to succeed");
        using var connection = storage.GetConnection();
        Assert.Null(connection.GetJobParameter(job.Key, "CurrentCulture"));
        Assert.Null(connection.GetJobParameter(job.Key, "CurrentUICulture"));
        Assert.All(monitoring.SucceededByDatesCount(), day => Assert.Equal(0, day.Value));
    }
}
