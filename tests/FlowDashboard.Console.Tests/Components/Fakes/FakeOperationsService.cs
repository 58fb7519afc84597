using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Operations;

namespace FlowDashboard.Console.Tests.Components.Fakes;

/// <summary>
/// An <see cref="IOperationsService"/> that answers <see cref="CanOperateAsync"/> from a flag and records the
/// actions asked of it (as <c>"retry-step run step"</c> and the like) instead of changing anything.
/// </summary>
public sealed class FakeOperationsService : IOperationsService
{
    private readonly Lock gate = new();
    private readonly List<string> calls = [];

    /// <summary>What <see cref="CanOperateAsync"/> answers.</summary>
    public bool CanOperate { get; set; } = true;

    public bool IsReadOnly => false;

    /// <summary>The actions asked for, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (gate) return [.. calls];
        }
    }

    public Task<bool> CanOperateAsync(ClaimsPrincipal user) => Task.FromResult(CanOperate);

    public Task<TriggerResult> TriggerAsync(ClaimsPrincipal user, string workflow, JsonElement input, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record($"trigger {workflow}");
        return Task.FromResult(new TriggerResult(options?.RunId ?? "new-run", true));
    }

    public Task<IReadOnlyList<TriggerResult>> TriggerBatchAsync(
        ClaimsPrincipal user, string workflow, IReadOnlyList<BatchItem> items, TriggerOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record($"trigger-batch {workflow} {items.Count}");
        return Task.FromResult<IReadOnlyList<TriggerResult>>(items.Select((item, i) => new TriggerResult(item.RunId ?? $"new-run-{i}", true)).ToList());
    }

    public Task RetryStepAsync(ClaimsPrincipal user, string runId, string step, CancellationToken cancellationToken = default) =>
        Record($"retry-step {runId} {step}");

    public Task ResumeAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) => Record($"resume {runId}");

    public async Task<NotifyResult> NotifyAsync(ClaimsPrincipal user, string eventId, JsonElement payload, string? runId = null, CancellationToken cancellationToken = default)
    {
        await Record($"notify {eventId} {runId}");
        return new NotifyResult(runId is null ? [] : [runId], Kept: false, Refused: []);
    }

    public Task<string> RestartAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default)
    {
        Record($"restart {runId}");
        return Task.FromResult(runId + "-restarted");
    }

    public Task CancelAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) => Record($"cancel {runId}");

    public Task DeleteAsync(ClaimsPrincipal user, string runId, CancellationToken cancellationToken = default) => Record($"delete {runId}");

    public async Task<string> RerunAsync(ClaimsPrincipal user, string runId, string fromStep, JsonElement? input = null, CancellationToken cancellationToken = default)
    {
        await Record($"rerun {runId} {fromStep} {input?.GetRawText()}");
        return "rerun-1";
    }

    public async Task<bool> PauseWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default)
    {
        await Record($"pause {workflow}{(key is null ? "" : $" [{key}]")}");
        return true;
    }

    public async Task<int> ResumeWorkflowAsync(ClaimsPrincipal user, string workflow, string? key = null, CancellationToken cancellationToken = default)
    {
        await Record($"resume-workflow {workflow}{(key is null ? "" : $" [{key}]")}");
        return 3;
    }

    public Task<BulkOperationInfo> StartBulkAsync(ClaimsPrincipal user, BulkAction action, RunSelection selection, CancellationToken cancellationToken = default)
    {
        Record($"bulk {action}");
        return Task.FromResult(new BulkOperationInfo("bulk-1", action, "tester", 0, 0, 0, 0, Finished: true, null));
    }

    public Task<BulkOperationInfo?> GetBulkAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<BulkOperationInfo?>(null);

    private Task Record(string call)
    {
        lock (gate) calls.Add(call);
        return Task.CompletedTask;
    }
}
