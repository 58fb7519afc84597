using FlowDashboard.Bench.Measurement;

namespace FlowDashboard.Bench.Harness;

/// <summary>
/// Keeps <c>inFlight</c> runs going at once: each of that many callers triggers a run, waits until it is
/// final, and triggers the next, until the time is up; the runs in flight then finish.
/// </summary>
public static class ClosedLoop
{
    /// <summary>How long one run may take before the scenario is declared stuck.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="runOne"/> (given a run number, returning when that run is final) in a closed loop.</summary>
    public static async Task RunAsync(int inFlight, TimeSpan duration, Func<int, Task> runOne)
    {
        var deadline = Ticks.Now + (long)(duration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var next = -1;
        async Task CallerAsync()
        {
            while (Ticks.Now < deadline)
            {
                await runOne(Interlocked.Increment(ref next)).WaitAsync(RunTimeout);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(CallerAsync)));
    }
}
