using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Tests;

/// <summary>
/// Kills the real host with SIGKILL in the middle of runs, twice, and starts it again on the same store (a SQLite
/// file, or with FLOWDASHBOARD_TEST_STORE=postgresql a database of its own: <see cref="TestStore"/>).
/// Side effects are counted outside the process: the .eml files each email step writes to the outbox.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private static readonly string[] EmailSteps = ["send-welcome-email", "send-follow-up-email", "send-confirmation"];

    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-crash-" + Guid.NewGuid().ToString("N"));

    private string Outbox => Path.Combine(folder, "outbox");


    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await TestStore.DropAsync(folder);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Host_KilledTwiceMidRun_EveryRunCompletesAndNoFinishedStepRunsAgain()
    {
        var settings = HostProcess.SettingsFor(folder, TimeSpan.FromSeconds(2));
        var onboardings = Enumerable.Range(1, 30).Select(i => $"onboarding-{i}").ToList();
        var orders = Enumerable.Range(1, 30).Select(i => (RunId: $"order-{i}", Quantity: (i % 5) + 1)).ToList();
        var startTimeout = TimeSpan.FromSeconds(60);

        var host = await HostProcess.StartAsync(settings, startTimeout);
        var recordedAtKill = new Dictionary<(string Run, string Step), int>();
        try
        {
            using (var http = new HttpClient { BaseAddress = host.Address })
            {
                foreach (var runId in onboardings)
                {
                    await TriggerAsync(http, "customer-onboarding", runId, new { userId = runId, email = $"{runId}@example.com", name = "Crash Test" });
                }

                foreach (var (runId, quantity) in orders.Take(15))
                {
                    await TriggerAsync(http, "order-fulfillment", runId, new { orderId = runId, sku = "widget", quantity });
                }
            }

            // Round 1: kill once some steps are recorded; round 2: kill while the second half of the orders runs.
            await WaitForAsync(() => CompletedSteps().Count >= 40, host);
            await host.KillAsync();
            Snapshot(recordedAtKill);

            host = await HostProcess.StartAsync(settings, startTimeout);
            using (var http = new HttpClient { BaseAddress = host.Address })
            {
                foreach (var (runId, quantity) in orders.Skip(15))
                {
                    await TriggerAsync(http, "order-fulfillment", runId, new { orderId = runId, sku = "widget", quantity });
                }
            }

            await WaitForAsync(() => CompletedSteps().Count >= 150, host);
            await host.KillAsync();
            Snapshot(recordedAtKill);

            host = await HostProcess.StartAsync(settings, startTimeout);
            using var client = new HttpClient { BaseAddress = host.Address };
            var runs = new List<JsonElement>();
            foreach (var runId in onboardings.Concat(orders.Select(o => o.RunId)))
            {
                runs.Add(await WaitForFinalAsync(client, runId, host));
            }

            Assert.All(runs, run => Assert.True(
                run.GetProperty("status").GetString() == "Completed", $"Run {run.GetProperty("runId")} ended {run.GetProperty("status")}: {run}"));

            var sent = EmailsByStep();
            foreach (var (key, countAtKill) in recordedAtKill)
            {
                // A step recorded as finished is never executed again: no email after the one counted at the kill.
                Assert.True(sent.GetValueOrDefault(key) == countAtKill, $"{key} was recorded with {countAtKill} email(s) at a kill, now has {sent.GetValueOrDefault(key)}");
            }

            foreach (var run in runs)
            {
                var runId = run.GetProperty("runId").GetString()!;
                foreach (var step in run.GetProperty("steps").EnumerateArray().Where(s => EmailSteps.Contains(s.GetProperty("name").GetString())))
                {
                    var name = step.GetProperty("name").GetString()!;
                    var attempts = step.GetProperty("attempts").GetArrayLength();
                    var emails = sent.GetValueOrDefault((runId, name));

                    // At least once, and never more often than its recorded attempts: each execution is an attempt.
                    Assert.InRange(emails, 1, attempts);
                }
            }

            var interrupted = runs.SelectMany(r => r.GetProperty("steps").EnumerateArray())
                .Count(s => s.GetProperty("attempts").EnumerateArray().Any(a => a.GetProperty("status").GetString() == "Interrupted"));
            TestContext.Current.TestOutputHelper?.WriteLine($"Steps recorded at kills: {recordedAtKill.Count} email steps; steps interrupted by a kill and run again: {interrupted}");

            var stock = await client.GetFromJsonAsync<JsonElement>("/examples/inventory", TestContext.Current.CancellationToken);
            var widgets = stock.EnumerateArray().Single(i => i.GetProperty("sku").GetString() == "widget").GetProperty("quantity").GetInt32();
            Assert.Equal(1000 - orders.Sum(o => o.Quantity), widgets);
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine(host.Output);
            await host.DisposeAsync();
        }
    }

    private static async Task TriggerAsync(HttpClient http, string workflow, string runId, object input)
    {
        var response = await http.PostAsJsonAsync($"/flows/api/workflows/{workflow}/runs?runId={runId}", input, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Trigger of {runId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    private static async Task<JsonElement> WaitForFinalAsync(HttpClient http, string runId, HostProcess host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
            if (run.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled") return run;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Run {runId} did not finish: {run}\n{host.Output}");
    }

    private static async Task WaitForAsync(Func<bool> condition, HostProcess host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The host made no progress:\n" + host.Output);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Every step recorded as completed, read from the store itself.</summary>
    private HashSet<(string Run, string Step)> CompletedSteps()
    {
        using var connection = TestStore.Connect(folder);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "RunId", "Name" FROM steps WHERE "Status" = 'Completed'""";
        using var reader = command.ExecuteReader();
        var steps = new HashSet<(string, string)>();
        while (reader.Read()) steps.Add((reader.GetString(0), reader.GetString(1)));
        return steps;
    }

    /// <summary>After a kill: what each finished email step had sent. Each must have sent at least once.</summary>
    private void Snapshot(Dictionary<(string Run, string Step), int> recorded)
    {
        var sent = EmailsByStep();
        foreach (var key in CompletedSteps().Where(s => EmailSteps.Contains(s.Step)))
        {
            var count = sent.GetValueOrDefault(key);
            Assert.True(count >= 1, $"{key} is recorded as completed but sent no email");
            recorded.TryAdd(key, count);
        }
    }

    /// <summary>How many emails each (run, step) sent, from the X-Flow-Run and X-Flow-Step headers of the outbox's files.</summary>
    private Dictionary<(string Run, string Step), int> EmailsByStep()
    {
        var counts = new Dictionary<(string, string), int>();
        if (!Directory.Exists(Outbox)) return counts;
        foreach (var file in Directory.EnumerateFiles(Outbox, "*.eml"))
        {
            var headers = File.ReadLines(file).TakeWhile(l => l.Length > 0).ToList();
            var run = headers.Single(h => h.StartsWith("X-Flow-Run:", StringComparison.Ordinal))["X-Flow-Run:".Length..].Trim();
            var step = headers.Single(h => h.StartsWith("X-Flow-Step:", StringComparison.Ordinal))["X-Flow-Step:".Length..].Trim();
            counts[(run, step)] = counts.GetValueOrDefault((run, step)) + 1;
        }

        return counts;
    }
}
