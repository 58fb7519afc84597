using System.Collections.Concurrent;
using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Execution;

/// <summary>
/// Hands runs and calls to Hangfire. Called only after the store says the run is due, so a lost job loses nothing:
/// the caller never waits for the job. Jobs are created on threads of the dispatcher's own, never on the caller's:
/// Hangfire's client is synchronous, and on a database storage it waits for the server on a socket whose completion
/// the thread pool delivers. Blocking pool threads with it starved the pool under load: a hundred triggers at once
/// held every pool thread in a socket read that only a free pool thread could finish, and first steps waited 20 s
/// (W1, 100 in flight on PostgreSQL). A job this process never creates (it stops first) comes from the reconciler.
/// A batch's jobs wait behind every other: a run triggered alone, a wake or a call never queues behind the
/// thousand jobs of a batch triggered just before it. A run whose wake-up was held here until due is executed here,
/// without a job (see <see cref="Release"/>).
/// </summary>
internal sealed partial class JobDispatcher : IDisposable
{
    // Jobs are built from their method, not from an expression: Hangfire would parse the expression on every call.
    private static readonly MethodInfo ExecuteRun = typeof(WorkflowRunner).GetMethod(nameof(WorkflowRunner.Execute))!;
    private static readonly MethodInfo ExecuteCall = typeof(CallJob).GetMethod(nameof(CallJob.ExecuteAsync))!;

    /// <summary>
    /// Threads creating jobs at once: on PostgreSQL each creation is a few round trips and a commit, and several in
    /// flight share the server's commits; in memory one thread would do.
    /// </summary>
    private const int Threads = 4;

    /// <summary>How long disposing waits for the jobs still queued to be created.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A job due within this is held in this process until it is due, then released: Hangfire's delayed jobs do not wake
    /// on time. It scores them in whole seconds (HangfireIO/Hangfire#2540), so one due at 12:00:00.700 may start up to a
    /// second early; and with several servers on Hangfire.PostgreSql, the delayed-job pollers contend for one lock whose
    /// loser sleeps a whole second, so one may start a second late. A job due later than this goes to Hangfire due
    /// <see cref="Lead"/> early, arrives within this window of its time, finds the run not yet due and is held here
    /// for the rest: sleeps, retries and waits' timeouts wake on time on every storage (W2). A process that dies holding
    /// one loses only that: the run is due in the store, and the reconciler (at the next start, or on another node)
    /// gives it a job.
    /// </summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How early a delayed job is due in Hangfire, so that it arrives before its time, to be held for the rest: it may
    /// arrive a polling interval late (1 s by default), and a second more where the pollers of several nodes contend.
    /// </summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    private readonly IBackgroundJobClient client;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger<JobDispatcher> logger;
    private readonly ConcurrentQueue<(Job Job, DateTime DueAtUtc)> now = new();
    private readonly ConcurrentQueue<(Job Job, DateTime DueAtUtc)> batched = new();

    /// <summary>Jobs held until due, by target and due time: a second ask for the same wake-up holds nothing more.</summary>
    private readonly ConcurrentDictionary<(object? Target, DateTime DueAtUtc), (Job Job, ITimer Timer)> held = new();

    /// <summary>One count per job queued in either queue, and one per thread once the dispatcher stops.</summary>
    private readonly SemaphoreSlim queued = new(0);

    /// <summary>Held runs executing in this process, at most <see cref="FlowDashboardOptions.WorkerCount"/> at once.</summary>
    private readonly SemaphoreSlim inProcessSlots;

    /// <summary>Ends the held runs' executions when the engine stops, as Hangfire's shutdown token ends its jobs'.</summary>
    private readonly CancellationTokenSource stopping = new();

    private readonly ConcurrentDictionary<Task, bool> inProcess = new();
    private readonly Thread[] threads;
    private volatile bool stopped;
    private int backlog;

    public JobDispatcher(IBackgroundJobClient client, IServiceScopeFactory scopes, IOptions<FlowDashboardOptions> options, TimeProvider time, ILogger<JobDispatcher> logger)
    {
        this.client = client;
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        inProcessSlots = new SemaphoreSlim(options.Value.WorkerCount);
        threads = [.. Enumerable.Range(1, Threads).Select(i => new Thread(CreateJobs) { IsBackground = true, Name = $"FlowDashboard job dispatcher {i}" })];
        foreach (var thread in threads) thread.Start();
    }

    /// <summary>Jobs handed to the dispatcher that Hangfire does not have yet: their runs are not lost, only waiting for them.</summary>
    public int Backlog => Volatile.Read(ref backlog);

    /// <summary>Has the run executed now.</summary>
    public void Enqueue(string runId) => Add(now, RunJob(runId), DateTime.MinValue);

    /// <summary>Has a call's next attempt made now, or at <paramref name="dueAtUtc"/>.</summary>
    public void ScheduleCall(long stepId, DateTime? dueAtUtc = null) =>
        Add(now, new Job(typeof(CallJob), ExecuteCall, stepId, CancellationToken.None), dueAtUtc ?? DateTime.MinValue);

    /// <summary>Has the run executed now if due, else at <paramref name="dueAtUtc"/>.</summary>
    public void Schedule(string runId, DateTime dueAtUtc) => Add(now, RunJob(runId), dueAtUtc);

    /// <summary>Has each run of a batch executed at <paramref name="dueAtUtc"/>, behind every job not of a batch.</summary>
    public void Schedule(IReadOnlyCollection<string> runIds, DateTime dueAtUtc)
    {
        var queue = runIds.Count == 1 ? now : batched;
        foreach (var runId in runIds) Add(queue, RunJob(runId), dueAtUtc);
    }

    /// <summary>
    /// Ends the held runs executing in this process and waits for them: each gives its lease up, and its run a job, so
    /// that another node (or this one, started again) goes on with it. Called as the engine stops, while the store is open.
    /// </summary>
    public async Task StopInProcessAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(inProcess.Keys);
    }

    /// <summary>Creates the jobs still queued (for a few seconds at most), then stops the threads.</summary>
    public void Dispose()
    {
        stopping.Cancel();
        // What is held becomes Hangfire's, due when it was to be: a durable queue keeps it for the next start.
        foreach (var (key, (job, timer)) in held)
        {
            timer.Dispose();
            if (held.TryRemove(key, out _)) Queue(now, job, key.DueAtUtc);
        }

        stopped = true;
        queued.Release(threads.Length);
        var deadline = DateTime.UtcNow + DrainTimeout;
        foreach (var thread in threads)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !thread.Join(left)) break;
        }
    }

    private static Job RunJob(string runId) => new(typeof(WorkflowRunner), ExecuteRun, runId, CancellationToken.None);

    private void Add(ConcurrentQueue<(Job Job, DateTime DueAtUtc)> queue, Job job, DateTime dueAtUtc)
    {
        if (stopped)
        {
            // The engine has stopped: the reconciler gives the run its job at the next start.
            LogNotDispatched(job.Args[0]);
            return;
        }

        var delay = dueAtUtc - time.GetUtcNow().UtcDateTime;
        if (delay > TimeSpan.Zero && delay <= HoldLimit)
        {
            Hold(job, dueAtUtc, delay);
            return;
        }

        Queue(queue, job, dueAtUtc);
    }

    private void Queue(ConcurrentQueue<(Job Job, DateTime DueAtUtc)> queue, Job job, DateTime dueAtUtc)
    {
        Interlocked.Increment(ref backlog);
        queue.Enqueue((job, dueAtUtc));
        queued.Release();
    }

    private void Hold(Job job, DateTime dueAtUtc, TimeSpan delay)
    {
        var key = (job.Args[0], dueAtUtc);
        if (held.ContainsKey(key)) return;
        var timer = time.CreateTimer(_ =>
        {
            if (held.TryRemove(key, out var due) && !stopped) Release(due.Job);
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (held.TryAdd(key, (job, timer))) timer.Change(delay, Timeout.InfiniteTimeSpan);
        else timer.Dispose();
    }

    /// <summary>
    /// A held job's time has come. A run is executed here, in this process, while a slot is free: a new Hangfire job
    /// would cost a dozen commits and a fetch on a database storage, and make the wake-up late by them (W2). Anything
    /// else, or a run with no slot free, gets its job.
    /// </summary>
    private void Release(Job job)
    {
        if (job.Method != ExecuteRun || stopping.IsCancellationRequested || !inProcessSlots.Wait(0))
        {
            Queue(now, job, DateTime.MinValue);
            return;
        }

        _ = ExecuteInProcessAsync(job);
    }

    private async Task ExecuteInProcessAsync(Job job)
    {
        var runId = (string)job.Args[0];
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inProcess.TryAdd(done.Task, true);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().ExecuteAsync(runId, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The engine is stopping: the lease is given up; a job hands the run on (a durable queue keeps it).
            Queue(now, job, DateTime.MinValue);
        }
        catch (Exception ex)
        {
            LogInProcessFailed(ex, runId);
            Queue(now, job, DateTime.MinValue);
        }
        finally
        {
            inProcessSlots.Release();
            inProcess.TryRemove(done.Task, out _);
            done.SetResult();
        }
    }

    private void CreateJobs()
    {
        while (true)
        {
            queued.Wait();
            if (!now.TryDequeue(out var next) && !batched.TryDequeue(out next))
            {
                if (stopped) return;
                continue;
            }

            var (job, dueAtUtc) = next;
            try
            {
                var delay = dueAtUtc - time.GetUtcNow().UtcDateTime;
                client.Create(job, delay <= Lead ? new EnqueuedState() : new ScheduledState(delay - Lead));
            }
            catch (Exception ex)
            {
                LogCreateFailed(ex, job.Args[0]);
            }
            finally
            {
                Interlocked.Decrement(ref backlog);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hangfire refused the job for run or call {Target}; the reconciler gives it one on its next pass")]
    private partial void LogCreateFailed(Exception error, object? target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Executing run {RunId} in process failed; it gets a job")]
    private partial void LogInProcessFailed(Exception error, string runId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The engine has stopped: {Target} gets its job from the reconciler at the next start")]
    private partial void LogNotDispatched(object? target);
}
