using FlowDashboard.Bench.Harness;
using FlowDashboard.Bench.Measurement;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;
using SQLite;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// Peer: what a user gets by building on Hangfire alone. A chain of ten jobs that do nothing, each a
/// continuation of the one before (<c>ContinueJobWith</c>), all created when the chain starts; chains are
/// kept <c>inFlight</c> at a time in a closed loop, on a Hangfire server with as many workers as the engine has (<see cref="BenchSettings.Workers"/>) and its own storage.
/// </summary>
public sealed class HangfireChain(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "Peer: Hangfire 10-job continuation chain";

    private const int Steps = 10;

    /// <summary>How often an idle worker of Hangfire.Storage.SQLite looks for a job (its default is 15 s, which makes a chain crawl).</summary>
    private static readonly TimeSpan SqliteQueuePollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Measures one storage with <paramref name="inFlight"/> chains at a time.</summary>
    public async Task<BenchResult> RunAsync(bool sqlite, int inFlight)
    {
        using var folder = new TempFolder("hangfire");
        var tracker = new RunTracker(Steps);
        tracker.LastStepRan = tracker.Finished;
        var commits = new CommitCounter();
        long observedSynchronous = -1;
        JobStorage storage = sqlite
            ? new SQLiteStorage(
                new SQLiteDbConnectionFactory(() =>
                {
                    // The same connection as SQLiteStorage(path) opens, with SQLite's commit hook counting its commits.
                    var connection = new SQLiteConnection(folder.File("hangfire.db"), SQLiteOpenFlags.ReadWrite | SQLiteOpenFlags.Create | SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
                    {
                        BusyTimeout = TimeSpan.FromSeconds(10),
                    };
                    commits.Install(connection.Handle);
                    Interlocked.CompareExchange(ref observedSynchronous, connection.ExecuteScalar<long>("PRAGMA synchronous"), -1);
                    return connection;
                }),
                new SQLiteStorageOptions { QueuePollInterval = SqliteQueuePollInterval })
            : new InMemoryStorage();
        try
        {
            var created = 0L;
            using (var server = new BackgroundJobServer(
                new BackgroundJobServerOptions { WorkerCount = BenchSettings.Workers, Activator = new ChainJobActivator(new ChainJob(tracker)), ServerName = $"bench-{Guid.NewGuid():N}" },
                storage))
            {
                var client = new BackgroundJobClient(storage);
                Task RunOne(string prefix, int n)
                {
                    var id = $"{prefix}-{n:D7}";
                    var final = tracker.Triggering(id);
                    var parent = client.Enqueue<ChainJob>(job => job.Step(id, 0));
                    for (var i = 1; i < Steps; i++)
                    {
                        var index = i;
                        parent = client.ContinueJobWith<ChainJob>(parent, job => job.Step(id, index));
                    }

                    Interlocked.Add(ref created, Steps);
                    return final;
                }

                await ClosedLoop.RunAsync(Math.Min(inFlight, 10), settings.WarmUp, n => Task.Run(() => RunOne("warm-up", n)));
                tracker.Clear();
                var commitsBefore = commits.Commits;
                var cpu = new CpuClock();
                await ClosedLoop.RunAsync(inFlight, settings.Duration, n => Task.Run(() => RunOne("run", n)));

                // A chain's last job has run; the chain is done once Hangfire has committed that job's Succeeded state.
                var succeededAt = await WaitForSucceededAsync(storage, Interlocked.Read(ref created));
                var committed = commits.Commits - commitsBefore;
                var (cpuMs, cpuCores) = (cpu.ElapsedCpuMs, cpu.Cores);
                var stats = ThroughputStats.From(tracker, succeededAt);
                var durable = sqlite ? $"WAL, synchronous={SynchronousName(observedSynchronous)} (its defaults), queue poll {SqliteQueuePollInterval.TotalMilliseconds:0} ms" : "in memory";
                return new BenchResult(sqlite ? $"{Name}, Hangfire.Storage.SQLite" : $"{Name}, Hangfire.InMemory", $"{inFlight} in flight, {durable}")
                {
                    Durable = sqlite,
                    Runs = stats.Runs,
                    Steps = stats.Steps,
                    Seconds = stats.Seconds,
                    RunsPerSecond = stats.RunsPerSecond,
                    StepsPerSecond = stats.StepsPerSecond,
                    CpuMsPerStep = cpuMs / stats.Steps,
                    CpuCores = cpuCores,
                    MsPerStepP50 = Percentiles.Of(stats.StepGapsMs, 50),
                    MsPerStepP95 = Percentiles.Of(stats.StepGapsMs, 95),
                    CommitsPerStep = sqlite ? (double)committed / stats.Steps : null,
                    LimitSetting = sqlite && observedSynchronous == 1 ? "WAL+NORMAL" : "WAL+FULL",
                    Latency = "trigger to first step",
                    LatencyP50Ms = Percentiles.Of(stats.FirstStepMs, 50),
                    LatencyP95Ms = Percentiles.Of(stats.FirstStepMs, 95),
                    Note = sqlite
                        ? $"{BenchSettings.Workers} workers; a job is a step"
                        : $"{BenchSettings.Workers} workers; a job is a step; NOT DURABLE: a crash loses every queued job; × limit against WAL+FULL",
                };
            }
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    private static string SynchronousName(long level) => level switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => "?" };

    /// <summary>Waits until the storage counts <paramref name="expected"/> succeeded jobs; returns when it first did.</summary>
    private static async Task<long> WaitForSucceededAsync(JobStorage storage, long expected)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + ClosedLoop.RunTimeout;
        while (monitoring.GetStatistics().Succeeded < expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Hangfire did not report {expected} succeeded jobs in time.");
            await Task.Delay(1);
        }

        return Ticks.Now;
    }

    /// <summary>The job: records that it ran. Public because Hangfire serializes the call.</summary>
    public sealed class ChainJob(RunTracker tracker)
    {
        /// <summary>Step <paramref name="index"/> of chain <paramref name="chain"/>.</summary>
        public void Step(string chain, int index) => tracker.StepRan(chain, index);
    }

    private sealed class ChainJobActivator(ChainJob job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(ChainJob) ? job : base.ActivateJob(jobType);
    }
}
