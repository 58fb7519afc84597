using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using FlowDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Tests;

/// <summary>
/// Several real node processes on one store (<c>tests/FlowDashboard.ClusterNode</c>: three on PostgreSQL; on SQLite,
/// which one process claims, the embedded profile's one) execute 500 runs of ten steps while one node at a time is
/// killed with SIGKILL, at least ten times, 0.5 to 3 s apart, and started again at once (so a kill may land in a
/// start-up too). Each run is triggered on two nodes at the same moment, as a client retrying through a load balancer
/// would. Each step's side effect is a file outside the processes, named with the process and the time.
/// </summary>
public sealed class ClusterChaosTests : IAsyncLifetime
{
    private const string Project = "tests/FlowDashboard.ClusterNode";
    private const int Runs = 500;
    private const int StepsPerRun = 10;
    private const int Kills = 12;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<HostProcess> nodes = [];
    private readonly List<string> killedOutput = [];

    private string Effects => Path.Combine(folder, "effects");

    private static int NodeCount => TestStore.IsPostgreSql ? 3 : 1;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Effects);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes) await node.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await TestStore.DropAsync(folder);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Nodes_KilledRepeatedlyWhileRunning_NoRunLostAndNoFinishedStepRunsAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Enumerable.Range(0, NodeCount).Select(_ => NodeSettings()).ToList();

        // The first node creates and migrates the store; the others join it.
        nodes.Add(await HostProcess.StartAsync(settings[0], TimeSpan.FromSeconds(60), Project));
        foreach (var setting in settings.Skip(1)) nodes.Add(HostProcess.Spawn(setting, Project));
        foreach (var node in nodes.Skip(1)) await node.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        var clients = settings.Select(s => new HttpClient { BaseAddress = new Uri(s["urls"]), Timeout = TimeSpan.FromSeconds(5) }).ToList();
        var created = new ConcurrentDictionary<string, int>();
        var serverErrors = new ConcurrentQueue<string>();
        var kills = new List<(int ProcessId, DateTime At)>();
        var seed = Environment.TickCount;
        var clock = Stopwatch.StartNew();

        // Triggers: each run id sent to two nodes at once, retried on another node while one is down.
        var triggering = Task.Run(async () =>
        {
            for (var i = 0; i < Runs; i++)
            {
                var runId = $"chaos-{i:D3}";
                var sent = await Task.WhenAll(TriggerAsync(clients, i, runId, serverErrors, ct), TriggerAsync(clients, i + 1, runId, serverErrors, ct));
                created[runId] = sent.Count(s => s == HttpStatusCode.Accepted);
                await Task.Delay(30, ct);
            }
        }, ct);

        // Kills: one node at a time, started again at once, whether or not it had finished starting.
        var killing = Task.Run(async () =>
        {
            var random = new Random(seed);
            for (var k = 0; k < Kills; k++)
            {
                await Task.Delay(random.Next(500, 3001), ct);
                var index = random.Next(nodes.Count);
                var victim = nodes[index];
                await victim.KillAsync();
                kills.Add((victim.ProcessId, DateTime.UtcNow));
                killedOutput.Add($"--- node {index} (process {victim.ProcessId}), killed at {clock.Elapsed.TotalSeconds:0.0} s:\n{Tail(victim.Output)}");
                await victim.DisposeAsync();
                nodes[index] = HostProcess.Spawn(settings[index], Project);
            }
        }, ct);

        await Task.WhenAll(triggering, killing);
        var killPhase = clock.Elapsed;
        foreach (var node in nodes) await node.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        await WaitUntilAllFinalAsync(TimeSpan.FromMinutes(4));
        var converged = clock.Elapsed - killPhase;
        foreach (var client in clients) client.Dispose();

        var runs = Read("""SELECT "Id", "Status" FROM runs""", r => (Id: r.GetString(0), Status: r.GetString(1)));
        var steps = Read(
            """
            SELECT s."RunId", s."Name", s."Status", s."CompletedAt",
                   (SELECT COUNT(*) FROM step_attempts a WHERE a."StepId" = s."Id"),
                   (SELECT COUNT(*) FROM step_attempts a WHERE a."StepId" = s."Id" AND a."Status" = 'Completed'),
                   (SELECT COUNT(*) FROM step_attempts a WHERE a."StepId" = s."Id" AND a."Status" NOT IN ('Completed', 'Interrupted'))
            FROM steps s
            """,
            r => new StepRow(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : DateTime.SpecifyKind(r.GetDateTime(3), DateTimeKind.Utc),
                Convert.ToInt32(r.GetValue(4)), Convert.ToInt32(r.GetValue(5)), Convert.ToInt32(r.GetValue(6))));
        var effects = ReadEffects();
        var killed = kills.ToDictionary(k => k.ProcessId, k => k.At);

        // 0 runs lost, 0 failed; each run id created once although two nodes received it at once.
        Assert.Equal(Runs, runs.Count);
        Assert.All(runs, r => Assert.True(r.Status == "Completed", $"{r.Id} ended {r.Status}"));
        Assert.All(created, c => Assert.True(c.Value <= 1, $"{c.Key} was created {c.Value} times (202 from each node)"));
        Assert.Empty(serverErrors);

        // 0 completions recorded twice: one step row per (run, step), each with one completed attempt and the rest
        // interrupted by a kill (none failed).
        Assert.Equal(Runs * StepsPerRun, steps.Count);
        Assert.Equal(steps.Count, steps.Select(s => (s.RunId, s.Name)).Distinct().Count());
        Assert.All(steps, s => Assert.True(
            s.Status == "Completed" && s.CompletedAttempts == 1 && s.OtherAttempts == 0,
            $"{s.RunId}/{s.Name}: {s.Status}, {s.CompletedAttempts} completed attempt(s) of {s.Attempts}, {s.OtherAttempts} neither completed nor interrupted"));

        var repeated = 0;
        foreach (var step in steps)
        {
            var done = effects.GetValueOrDefault((step.RunId, step.Name)) ?? [];
            var key = $"{step.RunId}/{step.Name}";

            // Executed at least once, never more often than its recorded attempts, never after its completion.
            Assert.True(done.Count >= 1, $"{key} is completed but left no side effect");
            Assert.True(done.Count <= step.Attempts, $"{key} left {done.Count} side effects in {step.Attempts} attempt(s)");
            Assert.All(done, e => Assert.True(e.At <= step.CompletedAt, $"{key} ran again in process {e.ProcessId} at {e.At:O}, after its completion at {step.CompletedAt:O}"));

            // A repeat only where a kill cut a step short: every execution but one is by a process killed after it.
            var byLive = done.Count(e => !killed.TryGetValue(e.ProcessId, out var at) || e.At > at);
            Assert.True(byLive <= 1, $"{key} ran {byLive} times in processes not killed after it: {string.Join(", ", done)}");
            if (done.Count > 1) repeated++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{NodeCount} node(s) on {TestStore.Name}, seed {seed}: {kills.Count} kills in {killPhase.TotalSeconds:0.0} s; all {Runs} runs completed " +
            $"{converged.TotalSeconds:0.0} s after the last kill; {repeated} step(s) ran again after a kill cut them short; " +
            $"{steps.Sum(s => s.Attempts - 1)} attempt(s) interrupted.");
    }

    private Dictionary<string, string> NodeSettings()
    {
        var settings = HostProcess.SettingsFor(folder, TimeSpan.FromSeconds(1));
        settings["Cluster:EffectsPath"] = Effects;
        settings["FlowDashboard:WorkerCount"] = "20";
        return settings;
    }

    /// <summary>Triggers <paramref name="runId"/> on node <paramref name="first"/> (mod the count), on the next one while it is down.</summary>
    private static async Task<HttpStatusCode> TriggerAsync(
        List<HttpClient> clients, int first, string runId, ConcurrentQueue<string> serverErrors, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        for (var attempt = 0; ; attempt++)
        {
            var client = clients[(first + attempt) % clients.Count];
            try
            {
                using var response = await client.PostAsJsonAsync($"/flows/api/workflows/ten-steps/runs?runId={runId}", 0, ct);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK) return response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode < 500) Assert.Fail($"Trigger of {runId}: {(int)response.StatusCode} {body}");
                serverErrors.Enqueue($"{runId} on {client.BaseAddress}: {(int)response.StatusCode} {body}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The node is down or starting (or was killed while answering): the same run id on another node.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No node accepted {runId} within 90 s.");
            await Task.Delay(100, ct);
        }
    }

    private async Task WaitUntilAllFinalAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var states = Read("""SELECT "Status", COUNT(*) FROM runs GROUP BY "Status" """, r => $"{r.GetString(0)}: {r.GetValue(1)}");
            var final = Read("""SELECT COUNT(*) FROM runs WHERE "Status" IN ('Completed', 'Failed', 'Cancelled')""", r => Convert.ToInt32(r.GetValue(0))).Single();
            if (final == Runs) return;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Only {final} of {Runs} runs finished ({string.Join(", ", states)}).\n" +
                    string.Join("\n", killedOutput) + "\n" + string.Join("\n", nodes.Select((n, i) => $"--- node {i}, live:\n{Tail(n.Output)}")));
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    private List<T> Read<T>(string sql, Func<System.Data.Common.DbDataReader, T> row)
    {
        using var connection = TestStore.Connect(folder);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    }

    /// <summary>Each step's executions, from the names of the files its side effects left: run.step.process.ticks.</summary>
    private Dictionary<(string Run, string Step), List<Effect>> ReadEffects()
    {
        var effects = new Dictionary<(string, string), List<Effect>>();
        foreach (var path in Directory.EnumerateFiles(Effects))
        {
            var parts = Path.GetFileName(path).Split('.');
            var key = (parts[0], parts[1]);
            if (!effects.TryGetValue(key, out var list)) effects[key] = list = [];
            list.Add(new Effect(int.Parse(parts[2]), new DateTime(long.Parse(parts[3]), DateTimeKind.Utc)));
        }

        return effects;
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(30));

    private sealed record StepRow(string RunId, string Name, string Status, DateTime? CompletedAt, int Attempts, int CompletedAttempts, int OtherAttempts);

    private sealed record Effect(int ProcessId, DateTime At);
}
