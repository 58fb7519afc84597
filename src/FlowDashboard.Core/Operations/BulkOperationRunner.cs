using System.Collections.Concurrent;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Operations;

/// <summary>
/// Runs bulk operations in the background, a page of run ids at a time, so that acting on every run
/// matching a filter never loads them all. Progress is kept in memory; an operation stops with the process.
/// </summary>
internal sealed class BulkOperationRunner(
    IDbContextFactory<FlowDbContext> contexts,
    IStoreProvider store,
    IHostApplicationLifetime lifetime,
    ILogger<BulkOperationRunner> logger)
{
    private const int PageSize = 200;
    private const int Kept = 100;

    private readonly ConcurrentDictionary<string, Progress> operations = new(StringComparer.Ordinal);

    public BulkOperationInfo? Get(string id) => operations.TryGetValue(id, out var progress) ? progress.Snapshot() : null;

    public async Task<BulkOperationInfo> StartAsync(
        BulkAction action, RunSelection selection, string actor, Func<string, string, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        var total = selection.RunIds?.Count ?? await CountAsync(selection.Filter!, cancellationToken);
        var progress = new Progress(Guid.CreateVersion7().ToString("N"), action, actor, total);
        operations[progress.Id] = progress;
        Forget();
        logger.LogInformation("Bulk {Action} {BulkId} by {Actor} started on {Total} run(s)", action, progress.Id, actor, total);

        // On the thread pool, not the caller's: a console page or a request returns at once.
        _ = Task.Run(() => RunAsync(progress, selection, apply, lifetime.ApplicationStopping), CancellationToken.None);
        return progress.Snapshot();
    }

    private async Task RunAsync(Progress progress, RunSelection selection, Func<string, string, CancellationToken, Task> apply, CancellationToken stopping)
    {
        try
        {
            await foreach (var runId in RunIdsAsync(selection, stopping))
            {
                try
                {
                    await apply(runId, progress.Id, stopping);
                    progress.Succeed();
                }
                catch (Exception ex) when (ex is RunConflictException or RunNotFoundException)
                {
                    progress.Skip();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Bulk {Action} {BulkId} failed on run {RunId}", progress.Action, progress.Id, runId);
                    progress.Fail(ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Bulk {Action} {BulkId} stopped", progress.Action, progress.Id);
            progress.Fail(ex.Message);
        }
        finally
        {
            progress.Finish();
            logger.LogInformation("Bulk {Action} {BulkId} finished: {Info}", progress.Action, progress.Id, progress.Snapshot());
        }
    }

    private async IAsyncEnumerable<string> RunIdsAsync(RunSelection selection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (selection.RunIds is { } ids)
        {
            foreach (var id in ids) yield return id;
            yield break;
        }

        // Keyset paging: a run the action changes (so that it no longer matches) never shifts the next page.
        RunCursor? cursor = null;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var page = await db.RunsMatching(selection.Filter!, store).NewestAfter(cursor).Take(PageSize)
                .Select(r => new { r.Id, r.CreatedAt }).ToListAsync(cancellationToken);
            foreach (var run in page) yield return run.Id;
            if (page.Count < PageSize) yield break;
            cursor = new RunCursor(page[^1].CreatedAt, page[^1].Id);
        }
    }

    private async Task<int> CountAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RunsMatching(filter, store).CountAsync(cancellationToken);
    }

    private void Forget()
    {
        foreach (var old in operations.Values.Where(o => o.IsFinished).OrderByDescending(o => o.Id, StringComparer.Ordinal).Skip(Kept))
        {
            operations.TryRemove(old.Id, out _);
        }
    }

    private sealed class Progress(string id, BulkAction action, string actor, int total)
    {
        private readonly Lock gate = new();
        private int succeeded;
        private int skipped;
        private int failed;
        private bool finished;
        private string? lastError;

        public string Id { get; } = id;
        public BulkAction Action { get; } = action;

        public bool IsFinished
        {
            get
            {
                lock (gate) return finished;
            }
        }

        public void Succeed()
        {
            lock (gate) succeeded++;
        }

        public void Skip()
        {
            lock (gate) skipped++;
        }

        public void Fail(string error)
        {
            lock (gate)
            {
                failed++;
                lastError = error;
            }
        }

        public void Finish()
        {
            lock (gate) finished = true;
        }

        public BulkOperationInfo Snapshot()
        {
            lock (gate)
            {
                // A filter can match more runs by the time they are read than when they were counted.
                var done = succeeded + skipped + failed;
                return new BulkOperationInfo(Id, Action, actor, Math.Max(total, done), succeeded, skipped, failed, finished, lastError);
            }
        }
    }
}
