using System.Collections.Concurrent;

namespace FlowDashboard.Bench.Measurement;

/// <summary>
/// What the bench saw of each run (or chain, or workflow instance): when it was triggered, when each of its
/// steps' code ran (timestamps taken inside the steps) and when it was seen final. The same for every engine.
/// </summary>
public sealed class RunTracker(int stepsPerRun)
{
    private readonly ConcurrentDictionary<string, TrackedRun> runs = new(StringComparer.Ordinal);

    /// <summary>Called with the run id when a run's last step runs: the engine's waiter starts checking it from then on.</summary>
    public Action<string>? LastStepRan { get; set; }

    /// <summary>The steps each run has.</summary>
    public int StepsPerRun => stepsPerRun;

    /// <summary>The runs seen so far.</summary>
    public ICollection<TrackedRun> Runs => runs.Values;

    /// <summary>Records that <paramref name="id"/> is being triggered now; the task completes when it is seen final.</summary>
    public Task Triggering(string id)
    {
        var run = runs.GetOrAdd(id, _ => new TrackedRun(stepsPerRun));
        run.TriggeredAt = Ticks.Now;
        return run.Final.Task;
    }

    /// <summary>Records, from inside a step, that step <paramref name="index"/> of <paramref name="id"/> runs now.</summary>
    public void StepRan(string id, int index)
    {
        var now = Ticks.Now;
        var run = runs.GetOrAdd(id, _ => new TrackedRun(stepsPerRun));
        run.StepAt[index] = now;
        if (index == stepsPerRun - 1) LastStepRan?.Invoke(id);
    }

    /// <summary>Records that <paramref name="id"/> is final (its last commit made), now.</summary>
    public void Finished(string id)
    {
        var run = runs.GetOrAdd(id, _ => new TrackedRun(stepsPerRun));
        run.FinalAt = Ticks.Now;
        run.Final.TrySetResult();
    }

    /// <summary>Forgets every run (after a warm-up).</summary>
    public void Clear() => runs.Clear();
}
