using System.Text.Json;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Operations;

/// <summary>
/// Runs bulk operations in the background, a page of run ids at a time, so that acting on every run matching a
/// filter never loads them all. The operation and its progress are rows in the store: any node answers for it, and
/// the node carrying it out holds it (renewed with every page). A node that stops hands its operations over where
/// they stand; one that dies leaves them to the first node whose periodic pass finds its hold passed (a
/// single-process store takes them back at start-up), from the last page it recorded. A run the dead node acted on
/// since is seen again by the node that goes on (its action then finds it done: skipped), or, when the action made
/// it leave the filter, not at all: the counts then miss it, though it was acted on.
/// </summary>
internal sealed class BulkOperationRunner(
    IDbContextFactory<FlowDbContext> contexts,
    IStoreProvider store,
    CommitQueue writes,
    RunActions actions,
    IHostApplicationLifetime lifetime,
    ILogger<BulkOperationRunner> logger)
{
    private const int PageSize = 200;

    /// <summary>How long a node's hold on an operation lasts without progress; every page renews it.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly HashSet<Task> carrying = [];

    public async Task<BulkOperationInfo?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var operation = await db.BulkOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        return operation is null ? null : Info(operation);
    }

    public async Task<BulkOperationInfo> StartAsync(BulkAction action, RunSelection selection, string actor, CancellationToken cancellationToken)
    {
        var operation = new BulkOperationEntity
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Action = action,
            Actor = actor,
            RunIds = selection.RunIds is { } ids ? JsonSerializer.Serialize(ids, FlowJson.Data) : null,
            Filter = selection.Filter is { } filter ? JsonSerializer.Serialize(filter, FlowJson.Data) : null,
            Total = selection.RunIds?.Count ?? await CountAsync(selection.Filter!, cancellationToken),
            Owner = Holder(),
        };
        await writes.WriteAsync(async batch =>
        {
            operation.CreatedAt = operation.UpdatedAt = batch.Now;
            operation.OwnerExpiresAt = batch.Now + Hold;
            batch.Db.BulkOperations.Add(operation);
            await batch.Db.SaveChangesAsync(cancellationToken);
            return operation;
        }, cancellationToken);
        logger.LogInformation("Bulk {Action} {BulkId} by {Actor} started on {Total} run(s)", action, operation.Id, actor, operation.Total);
        Carry(operation);
        return Info(operation);
    }

    /// <summary>
    /// Takes over the unfinished operations no node holds (their node stopped, or died and its hold passed), and
    /// carries them on here. <paramref name="all"/>: every unfinished one, for a single-process store's start-up.
    /// </summary>
    public async Task<int> AdoptAsync(bool all, CancellationToken cancellationToken)
    {
        var adopted = await writes.WriteAsync(async batch =>
        {
            var (db, now) = (batch.Db, batch.Now);
            var orphans = await db.BulkOperations.Where(o => !o.Finished && (all || o.Owner == null || o.OwnerExpiresAt < now))
                .Select(o => o.Id).ToListAsync(cancellationToken);
            var taken = new List<BulkOperationEntity>();
            foreach (var id in orphans)
            {
                // Taken with a compare-and-swap: two nodes adopting at once take each operation once.
                var holder = Holder();
                var rows = await db.BulkOperations.Where(o => o.Id == id && !o.Finished && (all || o.Owner == null || o.OwnerExpiresAt < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Owner, holder).SetProperty(o => o.OwnerExpiresAt, now + Hold), cancellationToken);
                if (rows == 1) taken.Add(await db.BulkOperations.AsNoTracking().FirstAsync(o => o.Id == id, cancellationToken));
            }

            return taken;
        }, cancellationToken);
        foreach (var operation in adopted)
        {
            logger.LogInformation("Bulk {Action} {BulkId} goes on on this node after {Done} of {Total} run(s)", operation.Action, operation.Id, Info(operation).Done, operation.Total);
            Carry(operation);
        }

        return adopted.Count;
    }

    /// <summary>
    /// Who holds an operation: one carrying-out, not a node, so a node that took back its own operation (its hold
    /// passed during a slow page) never has two carrying it out.
    /// </summary>
    private static string Holder() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Completes once every operation this node carries out has stopped, after the application began stopping: each
    /// has then recorded where it stands and let go of its hold, so another node goes on with it at once.
    /// </summary>
    public Task StoppedAsync()
    {
        lock (gate) return Task.WhenAll(carrying);
    }

    /// <summary>Carries the operation out on the thread pool, not the caller's: a console page or a request returns at once.</summary>
    private void Carry(BulkOperationEntity operation)
    {
        var task = Task.Run(() => RunAsync(operation, lifetime.ApplicationStopping), CancellationToken.None);
        lock (gate) carrying.Add(task);
        task.ContinueWith(
            done =>
            {
                lock (gate) carrying.Remove(done);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(BulkOperationEntity operation, CancellationToken stopping)
    {
        try
        {
            var page = 0;
            await foreach (var (runId, createdAt) in RunIdsAsync(operation, stopping))
            {
                try
                {
                    await actions.ApplyAsync(operation.Action, operation.Actor, runId, operation.Id, stopping);
                    operation.Succeeded++;
                }
                catch (Exception ex) when (ex is RunConflictException or RunNotFoundException)
                {
                    operation.Skipped++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Bulk {Action} {BulkId} failed on run {RunId}", operation.Action, operation.Id, runId);
                    operation.Failed++;
                    operation.LastError = ex.Message;
                }

                operation.Position++;
                (operation.CursorCreatedAt, operation.CursorId) = (createdAt, runId);
                if (++page == PageSize)
                {
                    page = 0;
                    if (!await SaveAsync(operation, finished: false, release: false)) return;
                }
            }

            await SaveAsync(operation, finished: true, release: true);
            logger.LogInformation("Bulk {Action} {BulkId} finished: {Info}", operation.Action, operation.Id, Info(operation));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // This node stops: the operation is handed over where it stands, for another node (or this one's next start).
            await SaveAsync(operation, finished: false, release: true);
            logger.LogInformation("Bulk {Action} {BulkId} handed over after {Done} run(s): this node stops", operation.Action, operation.Id, Info(operation).Done);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Bulk {Action} {BulkId} stopped", operation.Action, operation.Id);
            operation.Failed++;
            operation.LastError = ex.Message;
            await SaveAsync(operation, finished: true, release: true);
        }
    }

    /// <summary>Records the operation's progress while this carrying-out still holds it; false when another took it over.</summary>
    private async Task<bool> SaveAsync(BulkOperationEntity o, bool finished, bool release)
    {
        var holder = o.Owner;
        try
        {
            var saved = await writes.WriteAsync(async batch => await batch.Db.BulkOperations.Where(x => x.Id == o.Id && x.Owner == holder).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Succeeded, o.Succeeded).SetProperty(x => x.Skipped, o.Skipped).SetProperty(x => x.Failed, o.Failed)
                    .SetProperty(x => x.LastError, o.LastError).SetProperty(x => x.Position, o.Position)
                    .SetProperty(x => x.CursorCreatedAt, o.CursorCreatedAt).SetProperty(x => x.CursorId, o.CursorId)
                    .SetProperty(x => x.Finished, finished).SetProperty(x => x.UpdatedAt, batch.Now)
                    .SetProperty(x => x.Owner, release ? null : holder).SetProperty(x => x.OwnerExpiresAt, release ? null : batch.Now + Hold),
                CancellationToken.None), CancellationToken.None);
            if (saved == 0) logger.LogWarning("Bulk {Action} {BulkId} was taken over by another node; this one stops carrying it out", o.Action, o.Id);
            return saved == 1;
        }
        catch (Exception ex)
        {
            // Its hold passes and a node takes it on from the last progress recorded.
            logger.LogError(ex, "Bulk {Action} {BulkId}: its progress could not be recorded", o.Action, o.Id);
            return false;
        }
    }

    /// <summary>The runs still to see, from where the operation stands.</summary>
    private async IAsyncEnumerable<(string RunId, DateTime? CreatedAt)> RunIdsAsync(
        BulkOperationEntity operation, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (operation.RunIds is { } json)
        {
            foreach (var id in JsonSerializer.Deserialize<List<string>>(json, FlowJson.Data)!.Skip(operation.Position)) yield return (id, null);
            yield break;
        }

        // Keyset paging: a run the action changes (so that it no longer matches) never shifts the next page.
        var filter = JsonSerializer.Deserialize<RunFilter>(operation.Filter!, FlowJson.Data)!;
        var cursor = operation.CursorCreatedAt is { } at ? new RunCursor(at, operation.CursorId!) : null;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var page = await db.RunsInOrder(filter, store, cursor, RunOrder.NewestFirst).Take(PageSize)
                .Select(r => new { r.Id, r.CreatedAt }).ToListAsync(cancellationToken);
            foreach (var run in page) yield return (run.Id, run.CreatedAt);
            if (page.Count < PageSize) yield break;
            cursor = new RunCursor(page[^1].CreatedAt, page[^1].Id);
        }
    }

    private async Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RunsMatching(filter, store).CountAsync(cancellationToken);
    }

    // A filter can match more runs by the time they are read than when they were counted.
    private static BulkOperationInfo Info(BulkOperationEntity o) => new(
        o.Id, o.Action, o.Actor, Math.Max(o.Total, o.Succeeded + o.Skipped + o.Failed), o.Succeeded, o.Skipped, o.Failed, o.Finished, o.LastError);
}
