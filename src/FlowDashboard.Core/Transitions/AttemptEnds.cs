using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;

namespace FlowDashboard.Transitions;

/// <summary>How an attempt ends outside its own success, shared by the execution's steps and the calls' jobs.</summary>
internal static class AttemptEnds
{
    public const string InterruptedMessage = "The process executing this attempt stopped before the attempt finished.";

    /// <summary>Marks the step's current attempt failed with the error, its type and its stack trace.</summary>
    public static async Task FailAsync(FlowDbContext db, StepEntity step, Exception error, DateTime now, CancellationToken cancellationToken)
    {
        var number = step.AttemptCount;
        var type = error.GetType().FullName;
        var trace = error.StackTrace;
        await db.Attempts.Where(a => a.StepId == step.Id && a.Number == number).ExecuteUpdateAsync(
            s => s.SetProperty(a => a.Status, AttemptStatus.Failed).SetProperty(a => a.EndedAt, now).SetProperty(a => a.Error, error.Message)
                .SetProperty(a => a.ErrorType, type).SetProperty(a => a.StackTrace, trace),
            cancellationToken);
    }
}
