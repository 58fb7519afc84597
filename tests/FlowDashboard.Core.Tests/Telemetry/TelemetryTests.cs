using System.Diagnostics;
using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using FlowDashboard.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlowDashboard.Core.Tests.Telemetry;

/// <summary>
/// The engine's traces, metrics and log scopes, read with OpenTelemetry's in-memory exporters from a host that adds
/// only what the README says: <c>AddOpenTelemetry().WithTracing(t => t.AddSource("FlowDashboard"))</c> (and
/// <c>WithMetrics(m => m.AddMeter("FlowDashboard"))</c>). Other tests run engines at the same time, so everything is
/// picked out by this test's workflow name, run id or trace.
/// </summary>
public sealed class TelemetryTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private static readonly RetryPolicy Fast = new() { Retries = 2, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 };

    private static readonly ActivitySource Requests = new("FlowDashboard.Tests.Requests");

    private readonly string key = Guid.NewGuid().ToString("N");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_TriggeredInARequestWithARetryAndACall_IsOneTraceOfItsExecutionsAttemptsAndCall()
    {
        var workflow = "traced-" + key[..8];
        var spans = new List<Activity>();
        var tries = 0;
        ILogger? orders = null;
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int, int>(workflow, async ctx =>
            {
                var charged = await ctx.RunAsync("charge", _ =>
                {
                    orders!.LogInformation("Charging the card");
                    if (Interlocked.Increment(ref tries) == 1) throw new InvalidOperationException("The card reader is busy.");
                    return Task.FromResult(7);
                }, new StepOptions { Retry = Fast });
                await ctx.CallAsync("notify", HttpMethod.Get, server.Url($"widget/{key}"));
                return charged;
            }),
            services: services => services.AddOpenTelemetry().WithTracing(t => t.AddSource(FlowTelemetry.Name, Requests.Name).AddInMemoryExporter(spans)));
        orders = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders");

        // The request that triggers the run: the run's trace is this request's.
        string runId;
        ActivityContext request;
        using (var incoming = Requests.StartActivity("POST /orders", ActivityKind.Server))
        {
            Assert.NotNull(incoming);
            request = incoming.Context;
            runId = (await host.Client.TriggerAsync(workflow, 0, cancellationToken: Token)).RunId;
        }

        var run = await host.WaitForFinalAsync(runId);
        Assert.Equal(RunStatus.Completed, run.Status);

        // A span is exported when it ends: the last execution's ends just after the run is recorded completed.
        var trace = await Poll.UntilAsync(
            () => Task.FromResult(Snapshot(spans, request.TraceId)),
            all => all.Any(s => s.DisplayName == $"run {workflow}" && Equals(s.GetTagItem(FlowTelemetry.OutcomeAttribute), "completed")),
            "the completed execution's span");

        var start = Assert.Single(trace, s => s.DisplayName == $"start {workflow}");
        Assert.Equal(request.SpanId, start.ParentSpanId);
        Assert.Equal(runId, start.GetTagItem(FlowTelemetry.RunIdAttribute));

        // Every execution (the first, which waits out the short back-off in process and then starts the call, and the one
        // after the call answered) is a child of the start.
        var executions = trace.Where(s => s.DisplayName == $"run {workflow}").ToList();
        Assert.True(executions.Count >= 2, $"{executions.Count} executions traced: {Names(trace)}");
        Assert.All(executions, e => Assert.Equal(start.SpanId, e.ParentSpanId));
        Assert.All(executions, e => Assert.Equal(runId, e.GetTagItem(FlowTelemetry.RunIdAttribute)));

        // Each attempt of the step: the failed one marked as an error with its exception, the second completed.
        var attempts = trace.Where(s => s.DisplayName == "step charge").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([1, 2], attempts.Select(a => Convert.ToInt32(a.GetTagItem(FlowTelemetry.AttemptAttribute), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["retrying", "completed"], attempts.Select(a => (string?)a.GetTagItem(FlowTelemetry.OutcomeAttribute)));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Contains(attempts[0].Events, e => e.Name == "exception");
        Assert.All(attempts, a => Assert.Contains(executions, e => e.SpanId == a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal(workflow, a.GetTagItem(FlowTelemetry.WorkflowAttribute)));

        // The engine's HTTP call: a client span in the run's trace, which the request carried on as its traceparent
        // (HttpClient's own span for the request, a child of the call's, names the parent).
        var call = Assert.Single(trace, s => s.DisplayName == "call notify");
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(start.SpanId, call.ParentSpanId);
        var sent = Assert.Single(server.Received(key)).Headers["traceparent"];
        Assert.StartsWith($"00-{call.TraceId}-", sent, StringComparison.Ordinal);

        // The host's own log lines inside the step carry the run and the step.
        var charging = host.Logs.Lines.Where(l => l.Contains("Charging the card", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, charging.Count);
        Assert.All(charging, line => Assert.Contains($"RunId={runId}", line, StringComparison.Ordinal));
        Assert.All(charging, line => Assert.Contains("Step=charge", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runs_CompletedFailedAndRetried_AreCountedByWorkflowWithAttemptDurations()
    {
        var workflow = "metered-" + key[..8];
        var metrics = new List<MetricSnapshot>();
        var tries = 0;
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<bool, int>(workflow, async ctx => await ctx.RunAsync("work", _ =>
            {
                if (ctx.Input) throw new Exceptions.NonRetryableException("This order cannot be charged.");
                return Task.FromResult(Interlocked.Increment(ref tries) == 1 ? throw new InvalidOperationException("once") : 1);
            }, new StepOptions { Retry = Fast })),
            services: services => services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(FlowTelemetry.Name).AddInMemoryExporter(metrics)));

        var completed = (await host.Client.TriggerAsync(workflow, false, cancellationToken: Token)).RunId;
        var failed = (await host.Client.TriggerAsync(workflow, true, cancellationToken: Token)).RunId;
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(completed)).Status);
        Assert.Equal(RunStatus.Failed, (await host.WaitForFinalAsync(failed)).Status);

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Equal(2, Sum(metrics, "flowdashboard.runs.started", workflow));
        Assert.Equal(1, Sum(metrics, "flowdashboard.runs.completed", workflow));
        Assert.Equal(1, Sum(metrics, "flowdashboard.runs.failed", workflow));
        Assert.Equal(1, Sum(metrics, "flowdashboard.step.retries", workflow));
        var durations = Points(metrics, "flowdashboard.step.attempt.duration", workflow).ToList();
        Assert.Equal(
            [("completed", 1L), ("failed", 1L), ("retrying", 1L)],
            durations.Select(p => ((string)Tag(p, FlowTelemetry.OutcomeAttribute)!, p.GetHistogramCount())).Order());
        Assert.True(Points(metrics, "flowdashboard.run.queue_wait", workflow).Sum(p => p.GetHistogramCount()) >= 2);
        Assert.Contains(metrics, m => m.Name == "flowdashboard.runs.backlog");
    }

    private static List<Activity> Snapshot(List<Activity> spans, ActivityTraceId trace)
    {
        lock (spans) return spans.Where(s => s.TraceId == trace).ToList();
    }

    private static string Names(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(s => s.DisplayName));

    // The newest snapshot of an instrument: a cumulative metric's last export holds its totals.
    private static IEnumerable<MetricPoint> Points(List<MetricSnapshot> metrics, string name, string workflow) =>
        (metrics.LastOrDefault(m => m.Name == name)?.MetricPoints ?? []).Where(p => Equals(Tag(p, FlowTelemetry.WorkflowAttribute), workflow));

    private static long Sum(List<MetricSnapshot> metrics, string name, string workflow) =>
        Points(metrics, name, workflow).Sum(p => p.GetSumLong());

    private static object? Tag(MetricPoint point, string name)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == name) return tag.Value;
        }

        return null;
    }
}
