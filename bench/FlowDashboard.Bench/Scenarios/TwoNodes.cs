using FlowDashboard.Bench.Harness;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// W4: W1's workload (ten no-op steps, <see cref="InFlight"/> runs in flight) on one engine node, then on two nodes
/// sharing one PostgreSQL database, as several worker services would: each node a host of its own (its services, its
/// Hangfire server, <see cref="BenchSettings.Workers"/> workers), leases deciding which node executes a run, changes
/// relayed with LISTEN/NOTIFY. Both nodes run in the bench's process and share its cores: on a machine of few cores two
/// nodes cannot be faster than one, and the figure shows what the coordination costs.
/// </summary>
public sealed class TwoNodes(BenchSettings settings)
{
    /// <summary>The scenario's name in the results.</summary>
    public const string Name = "W4 engine: two nodes on one PostgreSQL";

    /// <summary>Runs kept in flight, as W1's busiest setting.</summary>
    public const int InFlight = 100;

    /// <summary>The setting of the line with <paramref name="nodes"/> nodes (W4 runs on PostgreSQL only).</summary>
    public static string Setting(int nodes) => $"{nodes} node{(nodes == 1 ? string.Empty : "s")}, {InFlight} in flight, PostgreSQL";

    /// <summary>Measures W1's workload on <paramref name="nodes"/> nodes sharing <paramref name="store"/>'s database.</summary>
    /// <exception cref="ArgumentException"><paramref name="store"/> is not PostgreSQL.</exception>
    public Task<BenchResult> RunAsync(BenchStore store, int nodes)
    {
        if (!store.IsPostgreSql) throw new ArgumentException("W4 runs on PostgreSQL only: nodes share a PostgreSQL store.", nameof(store));
        var about = nodes == 1
            ? $"1 node, {BenchSettings.Workers} workers (default)"
            : $"{nodes} nodes in this one process, {BenchSettings.Workers} workers each, triggers alternating; commits and CPU of all nodes; "
              + "Hangfire.PostgreSql's new-job signal is per process: any node's idle worker takes a job at once (across processes, "
              + "another node's only on its 1 s queue poll)";
        return new EngineThroughput(settings).MeasureAsync(Name, Setting(nodes), store, InFlight, nodes, about);
    }
}
