using FlowDashboard.Engine;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>
/// Waking a run from outside its execution, inside another transition's commit: an event or a call's response
/// arrived, or a child ended. Used by the waits, the calls, an execution's end and an operator's cancel.
/// </summary>
internal static class RunWakes
{
    /// <summary>Marks the run to go on: due now unless an execution holds it, which then suspends it as due now.</summary>
    public static async Task WakeAsync(FlowDbContext db, string runId, DateTime now, CancellationToken cancellationToken) =>
        await db.Runs.Where(r => r.Id == runId && r.Status != RunStatus.Completed && r.Status != RunStatus.Failed && r.Status != RunStatus.Cancelled)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.WakePending, true)
                    .SetProperty(r => r.DueAt, r => r.LeaseOwner == null ? now : r.DueAt),
                cancellationToken);

    /// <summary>Tells the parent step waiting for a child that the child ended; returns the parent run to give a job.</summary>
    public static async Task<string?> WakeParentAsync(
        FlowDbContext db, string childRunId, RunStatus status, string? output, string? error, DateTime now, CancellationToken cancellationToken)
    {
        var parent = await db.Steps.Where(s => s.Kind == StepKind.Invoke && s.Target == childRunId && s.Status == StepStatus.Waiting)
            .Select(s => new { s.Id, s.RunId }).FirstOrDefaultAsync(cancellationToken);
        if (parent is null) return null;

        var payload = System.Text.Json.JsonSerializer.Serialize(
            new ChildOutcome(childRunId, status, output is null ? null : System.Text.Json.JsonDocument.Parse(output).RootElement, error), FlowJson.Data);
        await db.Steps.Where(s => s.Id == parent.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Payload, payload), cancellationToken);
        await WakeAsync(db, parent.RunId, now, cancellationToken);
        return parent.RunId;
    }

    /// <summary>What a parent's invoke step receives when its child ends.</summary>
    public sealed record ChildOutcome(string RunId, RunStatus Status, System.Text.Json.JsonElement? Output, string? Error);
}
