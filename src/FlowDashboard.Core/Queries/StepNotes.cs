using System.Text.Json;
using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>A few words on a step that waits on something outside, from its recorded result, for the timeline.</summary>
internal static class StepNotes
{
    public static string? Describe(StepKind kind, StepStatus status, string? output)
    {
        if (status == StepStatus.Waiting)
        {
            return kind switch
            {
                StepKind.Call => "calling",
                StepKind.WaitForEvent => "waiting for the event",
                StepKind.Invoke => "child running",
                _ => null,
            };
        }

        if (output is null || status != StepStatus.Completed) return null;
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        return kind switch
        {
            StepKind.Call when root.TryGetProperty("status", out var code) => $"HTTP {code.GetRawText()}",
            StepKind.WaitForEvent when root.TryGetProperty("timedOut", out var timedOut) => timedOut.GetBoolean() ? "timed out" : "event received",
            StepKind.Invoke when root.TryGetProperty("status", out var child) => $"child {child.GetString()?.ToLowerInvariant()}",
            _ => null,
        };
    }
}
