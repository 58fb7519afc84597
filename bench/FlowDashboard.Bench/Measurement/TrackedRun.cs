namespace FlowDashboard.Bench.Measurement;

/// <summary>One run as the bench saw it, in <see cref="Ticks"/> timestamps (0 for not seen).</summary>
public sealed class TrackedRun(int steps)
{
    /// <summary>Just before the trigger call.</summary>
    public long TriggeredAt { get; set; }

    /// <summary>When each step's code began, by step index.</summary>
    public long[] StepAt { get; } = new long[steps];

    /// <summary>When the run was seen final.</summary>
    public long FinalAt { get; set; }

    /// <summary>Completes when the run is seen final.</summary>
    internal TaskCompletionSource Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
