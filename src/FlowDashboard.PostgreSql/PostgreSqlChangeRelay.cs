using System.Text;
using System.Threading.Channels;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlowDashboard.PostgreSql;

/// <summary>
/// Relays run changes between nodes with PostgreSQL's <c>LISTEN/NOTIFY</c>. This node's changes are coalesced for
/// <see cref="Coalesce"/> and sent as one notification per few hundred run ids (a burst of a thousand changes costs a
/// handful of notifications, not a thousand); each node listens on a connection of its own and tells its feed
/// every run id another node sent. A notification names its sender, so a node ignores its own. Notifications sent
/// while a node's listening connection is down are lost to it (PostgreSQL keeps none for a listener that is gone): a
/// page then shows the change on its next read. The connection is opened again a second later.
/// </summary>
internal sealed partial class PostgreSqlChangeRelay : IRunChangeRelay
{
    private const string Channel = "flowdashboard_runs";

    /// <summary>A notification's payload stays under PostgreSQL's limit of 8,000 bytes.</summary>
    private const int MaxPayload = 7000;

    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly string sendTo;
    private readonly string listenTo;
    private readonly RunChangeFeed feed;
    private readonly ILogger logger;
    private readonly string node = Guid.NewGuid().ToString("N");
    private readonly Channel<string> outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource listened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task sending;
    private readonly Task listening;

    public PostgreSqlChangeRelay(string connectionString, RunChangeFeed feed, ILogger logger)
    {
        sendTo = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "FlowDashboard changes" }.ToString();

        // A connection that only waits: out of the pool, with keepalives so a dead server is noticed.
        listenTo = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "FlowDashboard changes", Pooling = false, KeepAlive = 15 }.ToString();
        this.feed = feed;
        this.logger = logger;
        sending = Task.Run(SendAsync);
        listening = Task.Run(ListenAsync);
    }

    public Task Listening => listened.Task;

    public void Send(string runId) => outgoing.Writer.TryWrite(runId);

    public async ValueTask DisposeAsync()
    {
        outgoing.Writer.TryComplete();
        await stop.CancelAsync();
        await Task.WhenAll(sending, listening);
        stop.Dispose();
    }

    private async Task SendAsync()
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await outgoing.Reader.WaitToReadAsync(stop.Token))
            {
                await Task.Delay(Coalesce, stop.Token);
                while (outgoing.Reader.TryRead(out var runId)) changed.Add(runId);
                try
                {
                    await using var connection = new NpgsqlConnection(sendTo);
                    await connection.OpenAsync(stop.Token);
                    foreach (var payload in Payloads(changed))
                    {
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                        notify.Parameters.AddWithValue("channel", Channel);
                        notify.Parameters.AddWithValue("payload", payload);
                        await notify.ExecuteNonQueryAsync(stop.Token);
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    LogSendFailed(ex, changed.Count);
                }

                changed.Clear();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listenTo);
                await connection.OpenAsync(stop.Token);
                connection.Notification += (_, e) => Received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stop.Token);
                listened.TrySetResult();
                while (true) await connection.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex, Reconnect);
                try
                {
                    await Task.Delay(Reconnect, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The sender's id on the first line, then one run id per line (run ids hold no line breaks).</summary>
    private IEnumerable<string> Payloads(IEnumerable<string> runIds)
    {
        var payload = new StringBuilder(node);
        foreach (var runId in runIds)
        {
            if (payload.Length + 1 + runId.Length > MaxPayload)
            {
                yield return payload.ToString();
                payload.Clear().Append(node);
            }

            payload.Append('\n').Append(runId);
        }

        if (payload.Length > node.Length) yield return payload.ToString();
    }

    private void Received(string payload)
    {
        var lines = payload.Split('\n');
        if (lines[0] == node) return;
        foreach (var runId in lines.Skip(1)) feed.Deliver(runId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "FlowDashboard could not tell the other nodes of {Count} run change(s); their consoles show them on their next read")]
    private partial void LogSendFailed(Exception error, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FlowDashboard stopped hearing the other nodes' run changes; listening again in {Delay}")]
    private partial void LogListenFailed(Exception error, TimeSpan delay);
}
