using System.Text.Json;
using System.Threading.Channels;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Transitions;

namespace FlowDashboard.Engine;

/// <summary>
/// One execution of a run's body. The body runs on its own loop (<see cref="ExecutionLoop"/>); recorded
/// steps are handed back in the order they originally completed, new steps run off the loop and their
/// completions come back one at a time in the order they were committed. So a replay sees exactly the
/// interleaving the first execution saw, even with <c>Task.WhenAll</c> and <c>Task.WhenAny</c> over steps.
/// The execution ends when the body returns, a step fails for good, or nothing can go on (every pending
/// step waits for a time or an outside event): the run is then suspended until the earliest of those.
/// </summary>
internal abstract partial class WorkflowExecution : IDisposable
{
    // How many steps of one run may execute at once; more wait their turn, in the order they were asked for.
    private const int MaxParallelSteps = 32;

    private readonly ExecutionLoop loop = new();
    private readonly Channel<Action> completions = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<int, StepEntity> recorded;
    private readonly List<int> recordedOrders;
    private readonly Dictionary<int, Action> releases = [];
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);
    private readonly SortedSet<int> open = [];
    private readonly List<Suspension> suspensions = [];
    private readonly SemaphoreSlim commitGate = new(1, 1);
    private readonly SemaphoreSlim parallel = new(MaxParallelSteps);
    private readonly CancellationTokenSource finished;
    private readonly Lock queueGate = new();
    private readonly IDisposable arrivals;

    // When the run must have finished (WorkflowOptions.Timeout); null without a timeout.
    private readonly DateTime? deadline;
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int releaseIndex;
    private int nextSequence;
    private int nextOrder;
    private int inFlight;
    private Halt? fatal;

    // The first attempt of this execution waited in the queue since the run became due; later ones did not wait.
    private DateTime? queuedSince;

    protected WorkflowExecution(ExecutionSetup setup)
    {
        Setup = setup;
        queuedSince = setup.Run.DueAt;
        deadline = setup.Definition.DeadlineOf(setup.Run);
        finished = CancellationTokenSource.CreateLinkedTokenSource(setup.Lease.Token);
        var steps = setup.Run.Steps.Where(s => s.Kind != StepKind.FailureHandler).ToList();
        recorded = steps.ToDictionary(s => s.Sequence);
        recordedOrders = steps.Where(s => s.Status == StepStatus.Completed).Select(OrderOf).Order().ToList();
        nextOrder = steps.Count == 0 ? 0 : steps.Max(s => Math.Max(OrderOf(s), s.Sequence)) + 1;

        // An event, a response or a child's end for this run may arrive while other steps still run.
        arrivals = setup.Changes.Subscribe(runId =>
        {
            if (runId == setup.Run.Id) Volatile.Read(ref arrived).TrySetResult();
        });
    }

    public string RunId => Setup.Run.Id;

    public string Workflow => Setup.Run.Workflow;

    protected ExecutionSetup Setup { get; }

    protected RunLease Lease => Setup.Lease;

    /// <summary>Cancelled when the lease is lost, the host stops, or the body no longer needs the steps still running.</summary>
    protected CancellationToken StepToken => finished.Token;

    protected DateTime Now => Setup.Time.GetUtcNow().UtcDateTime;

    private bool ReplayDone => releaseIndex >= recordedOrders.Count;

    /// <summary>Runs the body until it returns, fails or cannot go on.</summary>
    public async Task<ExecutionOutcome> RunAsync()
    {
        Task<string?> body = null!;
        loop.Run(() => body = StartBody());
        try
        {
            while (true)
            {
                if (fatal is not null) return await StopAsync(ExecutionOutcome.Halted(fatal));
                if (body.IsCompleted)
                {
                    return await StopAsync(body.IsCompletedSuccessfully
                        ? new ExecutionOutcome(null, body.Result, null)
                        : new ExecutionOutcome(null, null, body.Exception!.GetBaseException()));
                }

                if (deadline <= Now) return await StopAsync(ExecutionOutcome.Halted(new Halt.TimedOut(Setup.Definition.TimedOut(deadline.Value))));
                if (TryRelease()) continue;
                if (!ReplayDone) return await StopAsync(ExecutionOutcome.Halted(new Halt.NonDeterministic(Skipped())));
                if (completions.Reader.TryRead(out var outcome))
                {
                    inFlight--;
                    loop.Run(outcome);
                    continue;
                }

                // A step waiting for a time whose time has come goes on at once; while other steps run, it is woken when
                // its time comes. Only when nothing runs and every wait is for later does the run suspend.
                if (WakeDue()) continue;
                if (inFlight == 0) return ExecutionOutcome.Halted(Quiescent());
                await WaitForCompletionAsync();
            }
        }
        finally
        {
            await finished.CancelAsync();
        }
    }

    /// <summary>Releases the gates; call once <see cref="RunAsync"/> has returned (no step of it runs any more).</summary>
    public void Dispose()
    {
        arrivals.Dispose();
        finished.Dispose();
        commitGate.Dispose();
        parallel.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Calls the workflow body (on the loop) and returns its result as JSON.</summary>
    protected abstract Task<string?> StartBody();

    /// <summary>
    /// Gives the step its stable name and position and checks it against what is recorded there. On a
    /// mismatch the run halts: the exception is never thrown into user code.
    /// </summary>
    protected bool TryNextStep(string requestedName, StepKind kind, out string name, out int sequence, out StepEntity? step, out int? group)
    {
        if (!loop.IsCurrent)
        {
            throw new InvalidOperationException(
                $"Step '{requestedName}' was asked for outside the workflow's own thread: a workflow body must not use ConfigureAwait(false), " +
                "Task.Run or threads of its own around its steps, or its replay could not be deterministic.");
        }

        StepNames.Validate(requestedName);
        var occurrence = occurrences[requestedName] = occurrences.GetValueOrDefault(requestedName) + 1;
        name = occurrence == 1 ? requestedName : $"{requestedName}#{occurrence}";
        sequence = nextSequence++;
        step = recorded.GetValueOrDefault(sequence);
        group = open.Count > 0 ? open.Min : null;
        if (step is null || (step.Name == name && step.Kind == kind))
        {
            if (step is { Status: StepStatus.Completed }) return true;

            // A step boundary: a paused workflow goes no further until it is resumed.
            if (Setup.Pauses.IsPaused(Workflow, Setup.Run.ConcurrencyKey)) Fail(new Halt.Paused());
            return fatal is null;
        }

        Fail(new Halt.NonDeterministic(
            $"Non-deterministic workflow: step #{sequence + 1} was recorded as '{step.Name}' ({step.Kind}) " +
            $"but the workflow now requests '{name}' ({kind}). The workflow's code changed under a running run, " +
            "or its steps depend on something other than step results."));
        return false;
    }

    /// <summary>Hands the body a recorded result when its turn in the original completion order comes.</summary>
    protected Task<T> Replay<T>(StepEntity step, Func<StepEntity, T> result)
    {
        var completion = new TaskCompletionSource<T>();
        open.Add(step.Sequence);
        releases[OrderOf(step)] = () =>
        {
            open.Remove(step.Sequence);
            completion.SetResult(result(step));
        };
        return completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> off the loop; it hands back exactly one outcome through the operation.</summary>
    protected void StartLive(int sequence, Func<LiveOperation, Task> work)
    {
        inFlight++;
        if (sequence >= 0) open.Add(sequence);
        var operation = new LiveOperation(outcome =>
        {
            lock (queueGate)
            {
                completions.Writer.TryWrite(() =>
                {
                    open.Remove(sequence);
                    outcome();
                });
            }
        });
        _ = Task.Run(async () =>
        {
            try
            {
                await parallel.WaitAsync(StepToken);
                try
                {
                    await work(operation);
                }
                finally
                {
                    parallel.Release();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or LeaseLostException or ObjectDisposedException)
            {
                operation.Deliver(() => Fail(new Halt.Stopped()));
            }
            catch (Exception ex)
            {
                Setup.Logger.LogUnexpected(ex, RunId);
                operation.Deliver(() => Fail(new Halt.Stopped()));
            }
            finally
            {
                // Whatever happened, the driver counts one outcome per operation.
                operation.Deliver(static () => { });
            }
        });
    }

    /// <summary>
    /// Commits a completion under the commit gate and hands it to the body in the same order: the order the
    /// store records (<see cref="StepEntity.CompletionOrder"/>) is the order a replay releases completions in.
    /// </summary>
    protected async Task CompleteAsync(LiveOperation operation, Func<int, Task> commit, Action deliver)
    {
        await commitGate.WaitAsync(Lease.Shutdown);
        try
        {
            var order = nextOrder++;
            await commit(order);
            operation.Deliver(deliver);
        }
        finally
        {
            commitGate.Release();
        }
    }

    /// <summary>The time the first attempt of this execution became due (the rest did not wait in Hangfire's queue).</summary>
    protected DateTime TakeQueuedSince()
    {
        lock (queueGate)
        {
            var since = queuedSince ?? Now;
            queuedSince = null;
            return since;
        }
    }

    /// <summary>
    /// The body waits for a step until <paramref name="due"/> (or an outside event when null). <paramref name="wake"/>
    /// goes on with the step when the time comes while this execution still runs other steps.
    /// </summary>
    /// <param name="due">When the wait ends by itself; null when only something from outside ends it.</param>
    /// <param name="status">What the run is while this is all it waits for.</param>
    /// <param name="wake">Goes on with the step.</param>
    /// <param name="stepId">For a wait on something from outside (an event, a call, a child): its step, whose arrival wakes it early.</param>
    protected void Suspend(DateTime? due, RunStatus status, Action? wake = null, long? stepId = null) => suspensions.Add(new Suspension(due, status, wake, stepId));

    /// <summary>Ends the execution; the first reason wins.</summary>
    protected void Fail(Halt halt) => fatal ??= halt;

    protected static Task<T> Never<T>() => new TaskCompletionSource<T>().Task;

    protected static T Deserialize<T>(string? json) => JsonSerializer.Deserialize<T>(json ?? "null", FlowJson.Data)!;

    private static int OrderOf(StepEntity step) => step.CompletionOrder ?? step.Sequence;

    private bool TryRelease()
    {
        if (ReplayDone || !releases.Remove(recordedOrders[releaseIndex], out var release)) return false;
        releaseIndex++;
        loop.Run(release);
        return true;
    }

    private string Skipped()
    {
        var order = recordedOrders[releaseIndex];
        var step = recorded.Values.First(s => s.Status == StepStatus.Completed && OrderOf(s) == order);
        return $"Non-deterministic workflow: step '{step.Name}' ({step.Kind}) was recorded as completed, but the workflow no longer " +
            "asks for it where it did. The workflow's code changed under a running run, or its steps depend on something other than step results.";
    }

    private bool WakeDue()
    {
        var now = Now;
        var due = suspensions.Where(s => s.Wake is not null && s.Due <= now).ToList();
        foreach (var suspension in due)
        {
            suspensions.Remove(suspension);
            loop.Run(suspension.Wake!);
        }

        return due.Count > 0;
    }

    private async Task WaitForCompletionAsync()
    {
        var next = suspensions.Where(s => s.Wake is not null && s.Due is not null).Select(s => s.Due!.Value).Append(deadline ?? DateTime.MaxValue).Min();
        var outside = suspensions.Where(s => s.StepId is not null && s.Wake is not null).ToList();
        using var timeout = new CancellationTokenSource(next == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : Max(next - Now, TimeSpan.Zero), Setup.Time);
        var completion = completions.Reader.WaitToReadAsync(timeout.Token).AsTask();
        if (outside.Count == 0)
        {
            await completion.ContinueWith(static _ => { }, TaskScheduler.Default);
            return;
        }

        var signal = Volatile.Read(ref arrived).Task;
        await Task.WhenAny(completion, signal);
        await timeout.CancelAsync();
        if (!signal.IsCompleted) return;

        // Something was recorded for this run: wake the outside waits whose event, response or child has arrived.
        Volatile.Write(ref arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var ids = await Setup.Waits.ArrivedAsync(outside.Select(s => s.StepId!.Value).ToList(), Lease.Shutdown);
        foreach (var suspension in outside.Where(s => ids.Contains(s.StepId!.Value)))
        {
            suspensions.Remove(suspension);
            loop.Run(suspension.Wake!);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private Halt Quiescent()
    {
        if (suspensions.Count == 0)
        {
            return new Halt.Stuck("The workflow body waits for something that is not a step (a Task.Delay, a task or event of its own); " +
                "nothing can resume it. Wait with SleepAsync or WaitForEventAsync instead.");
        }

        // A run with a timeout is due at its deadline at the latest, however long it sleeps or waits.
        var due = suspensions.Where(s => s.Due is not null).Select(s => s.Due).Append(deadline).Min();
        var status = suspensions.Any(s => s.Status == RunStatus.Waiting) ? RunStatus.Waiting
            : suspensions.All(s => s.Status == RunStatus.Sleeping) ? RunStatus.Sleeping
            : RunStatus.Running;
        return new Halt.Suspended(due, status);
    }

    /// <summary>Stops the steps the body no longer needs and waits until none of them can still write.</summary>
    private async Task<ExecutionOutcome> StopAsync(ExecutionOutcome outcome)
    {
        await finished.CancelAsync();
        while (inFlight > 0)
        {
            await completions.Reader.WaitToReadAsync(CancellationToken.None);
            while (completions.Reader.TryRead(out _)) inFlight--;
        }

        return outcome;
    }

    private sealed record Suspension(DateTime? Due, RunStatus Status, Action? Wake, long? StepId);

    /// <summary>Gives a job to the parent run a commit of this execution woke (this run, its child, ended).</summary>
    private void Wake(string? parent)
    {
        if (parent is not null) Setup.Jobs.Enqueue(parent);
    }
}
