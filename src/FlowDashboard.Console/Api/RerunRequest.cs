using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace FlowDashboard.Console.Api;

/// <summary>The body of <c>POST /runs/{runId}/rerun</c>: the step to run on from, and optionally a new input.</summary>
internal sealed record RerunRequest
{
    /// <summary>What to send, for the answer to a request without a body.</summary>
    public const string Shape = """{"fromStep": "...", "input"?: {...}}""";

    /// <summary>The step of the original run to run on from: every step before it is reused.</summary>
    [Required]
    public required string FromStep { get; init; }

    /// <summary>The new run's input, checked as any trigger's; left out (or null) for the original's.</summary>
    public JsonElement? Input { get; init; }
}
