using System.Collections.Frozen;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Execution;

/// <summary>
/// This node's copy of which workflows (and flow-control keys) are paused, read again from the store when it is more
/// than two seconds old: an execution asks it before each new step, and taking a run's lease asks it first. Another
/// node's pause reaches this one within that time; the store, read under the pause's lock, decides every hold.
/// </summary>
internal sealed class PauseRegistry(IDbContextFactory<FlowDbContext> contexts, TimeProvider time, ILogger<PauseRegistry> logger)
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(2);
    private FrozenSet<(string Workflow, string Key)> paused = FrozenSet<(string, string)>.Empty;
    private long readAt = long.MinValue;
    private int reading;
    private readonly Lock readLock = new();
    private Task? sharedRead;

    /// <summary>The lock a pause, a resume and a hold of the workflow's runs take, so none of them comes between another's read and write.</summary>
    public static string LockKeyOf(string workflow) => "pause:" + workflow;

    /// <summary>Whether the workflow, or its run's key, is paused, as last read; a stale copy is read again in the background.</summary>
    public bool IsPaused(string workflow, string? key)
    {
        if (Stale && Interlocked.CompareExchange(ref reading, 1, 0) == 0) _ = ReadInBackgroundAsync();
        return Contains(Volatile.Read(ref paused), workflow, key);
    }

    /// <summary>
    /// Whether the workflow, or its run's key, is paused, read again first when the copy is stale. Callers that find it
    /// stale at once share one read: a hundred workers taking leases would otherwise each read the same rows.
    /// </summary>
    public async ValueTask<bool> IsPausedAsync(string workflow, string? key, CancellationToken cancellationToken)
    {
        if (Stale) await SharedReadAsync().WaitAsync(cancellationToken);
        return Contains(Volatile.Read(ref paused), workflow, key);
    }

    /// <summary>Reads the paused workflows from the store now.</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PausedWorkflows.AsNoTracking().Select(p => new { p.Workflow, p.Key }).ToListAsync(cancellationToken);
        Volatile.Write(ref paused, rows.Select(r => (r.Workflow, r.Key)).ToFrozenSet());
        Interlocked.Exchange(ref readAt, time.GetTimestamp());
    }

    private Task SharedReadAsync()
    {
        lock (readLock)
        {
            if (sharedRead is { IsCompleted: false } pending) return pending;
            return sharedRead = ReadAsync(CancellationToken.None);
        }
    }

    private bool Stale => Interlocked.Read(ref readAt) == long.MinValue || time.GetElapsedTime(Interlocked.Read(ref readAt)) > FreshFor;

    private static bool Contains(FrozenSet<(string Workflow, string Key)> set, string workflow, string? key) =>
        set.Count > 0 && (set.Contains((workflow, "")) || (key is not null && set.Contains((workflow, key))));

    private async Task ReadInBackgroundAsync()
    {
        try
        {
            await ReadAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading the paused workflows failed; the last copy stands until the next read");
        }
        finally
        {
            Volatile.Write(ref reading, 0);
        }
    }
}
