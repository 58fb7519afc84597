namespace FlowDashboard.ClusterNode;

/// <summary>
/// The side effect of a step, left outside the process: one empty file per execution, named
/// <c>{run}.{step}.{process id}.{UTC ticks}</c> (a new file is atomic where an append shared by processes is not).
/// The test that kills nodes reads the folder to count each step's executions, by which process and when.
/// </summary>
public static class SideEffects
{
    /// <summary>Records one execution of <paramref name="step"/> of <paramref name="runId"/> in <paramref name="folder"/>.</summary>
    public static void Record(string folder, string runId, string step) =>
        File.Create(Path.Combine(folder, $"{runId}.{step}.{Environment.ProcessId}.{DateTime.UtcNow.Ticks}")).Dispose();
}
