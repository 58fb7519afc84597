using System.Text.Json;

namespace FlowDashboard.Client;

/// <summary>One run of a batch trigger.</summary>
/// <param name="RunId">The run's id, chosen to make the trigger idempotent (see <see cref="TriggerOptions.RunId"/>); null for a generated one.</param>
/// <param name="Input">Its input as JSON.</param>
public sealed record BatchItem(string? RunId, JsonElement Input);
