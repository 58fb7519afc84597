using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using FlowDashboard.Bench.Measurement;
using FlowDashboard.Queries;

namespace FlowDashboard.Bench.Harness;

/// <summary>
/// Learns that runs are final without polling: once a run's last step has run, every change the engine
/// publishes for it on the <see cref="RunChangeFeed"/> makes the waiter read the run's status (one indexed
/// read on a connection of its own), and the first final status marks the run finished in the tracker.
/// With several nodes it listens on every node's feed: a run's end is heard as the node that executed it
/// commits, not a relay later (the relayed copy then finds the run no longer awaited).
/// </summary>
public sealed class RunWaiter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> armed = new(StringComparer.Ordinal);
    private readonly Channel<string> checks = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RunTracker tracker;
    private readonly DbConnection connection;
    private readonly IDisposable[] subscriptions;
    private readonly Task loop;
    private int notCompleted;

    /// <summary>
    /// Starts watching the runs of <paramref name="tracker"/> on <paramref name="feeds"/> (one per node) through
    /// <paramref name="connection"/> (its own, unpooled; it opens it and closes it when disposed).
    /// </summary>
    public RunWaiter(IReadOnlyList<RunChangeFeed> feeds, DbConnection connection, RunTracker tracker)
    {
        this.tracker = tracker;
        this.connection = connection;
        connection.Open();
        subscriptions = [.. feeds.Select(feed => feed.Subscribe(runId =>
        {
            if (armed.ContainsKey(runId)) checks.Writer.TryWrite(runId);
        }))];
        tracker.LastStepRan = runId =>
        {
            armed.TryAdd(runId, 0);
            checks.Writer.TryWrite(runId);
        };
        loop = Task.Run(CheckAsync);
    }

    /// <summary>How many runs ended other than completed (failed or cancelled).</summary>
    public int NotCompleted => Volatile.Read(ref notCompleted);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions) subscription.Dispose();
        tracker.LastStepRan = null;
        checks.Writer.TryComplete();
        await loop;
        await connection.DisposeAsync();
    }

    private async Task CheckAsync()
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Status" FROM runs WHERE "Id" = @id""";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        command.Parameters.Add(id);
        await foreach (var runId in checks.Reader.ReadAllAsync())
        {
            if (!armed.ContainsKey(runId)) continue;
            id.Value = runId;
            var status = (string?)await command.ExecuteScalarAsync();
            if (status is not ("Completed" or "Failed" or "Cancelled")) continue;
            armed.TryRemove(runId, out _);
            if (status != "Completed") Interlocked.Increment(ref notCompleted);
            tracker.Finished(runId);
        }
    }
}
