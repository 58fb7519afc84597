using FlowDashboard.Store;

namespace FlowDashboard;

/// <summary>FlowDashboard's settings, bound from the <c>FlowDashboard</c> configuration section and then from code.</summary>
/// <remarks>
/// Defaults: no store (choose one: <c>o.UseSqlite(...)</c> from FlowDashboard.Sqlite), 100 workers, schedule polling 0.1 s, lease 60 s, reconciler every 30 s,
/// each start-up step 5 minutes at most; no authorization policies (the console and API then serve local requests only), not read-only, console
/// refreshes at most once a second; the health check degraded once a due run has waited 5 minutes for a worker.
/// </remarks>
public sealed class FlowDashboardOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "FlowDashboard";

    /// <summary>The store's connection string, set with the store (<c>o.UseSqlite(...)</c>).</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>How many Hangfire workers execute runs in this process: at most this many runs go on at once.</summary>
    /// <remarks>
    /// Default 100. A worker stays with a run while its steps run one after the other, and steps mostly wait
    /// (on the store's commit, on an HTTP call of their own), so the count bounds how many runs make progress
    /// at once far more than the CPU does; a waiting worker is a blocked thread and costs next to nothing.
    /// </remarks>
    public int WorkerCount { get; set; } = 100;

    /// <summary>How often Hangfire looks for delayed jobs that are due, and for schedules whose fire time has come.</summary>
    /// <remarks>
    /// Default 1 s (Hangfire's own is 15 s). A wake-up (a sleep, a retry's back-off, a wait's timeout) is handed to
    /// Hangfire 3 s early and held in process for the rest, so this does not make it late (the W2 benchmark measures
    /// it); a schedule fires up to this late. Each look is a few statements and, on PostgreSQL, a lock taken and
    /// freed: at 0.1 s an idle node made 20 such looks a second.
    /// </remarks>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run's lease lasts without renewal; an execution renews it every third of this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the reconciler looks for due runs that have no job.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one start-up step (migrating the store, freeing leases, registering schedules) may take before the start fails.</summary>
    /// <remarks>Default 5 minutes; a step still going is logged every 10 s with what it waits for.</remarks>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long finished runs are kept, by final status; by default, forever.</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// A link to a run's trace in the host's trace viewer, with <c>{traceId}</c> where the trace id goes, such as
    /// <c>http://127.0.0.1:16686/trace/{traceId}</c> (Jaeger); null for none. The run page shows it for a run that was traced.
    /// </summary>
    public string? TraceUrl { get; set; }

    /// <summary>
    /// The ASP.NET Core authorization policy a user must satisfy to see the console and call the API; null
    /// for none, in which case only requests from this machine are served.
    /// </summary>
    public string? ViewPolicy { get; set; }

    /// <summary>
    /// The policy a user must satisfy for operator actions (trigger, retry, resume, restart, cancel, delete,
    /// schedule changes), checked by the operations service itself; null for none beyond the view gate.
    /// </summary>
    public string? OperatePolicy { get; set; }

    /// <summary>
    /// Origins (such as <c>https://ops.example.com</c>) whose pages may send requests that change something to the
    /// API. Pages of the console's own origin always may; requests without an <c>Origin</c> header (curl, server
    /// code) are not from a page and are not checked.
    /// </summary>
    /// <remarks>Default: none.</remarks>
    public IList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Hides every operator action in the console and refuses it in the operations service.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The shortest time between two reads of the store by one open console page.</summary>
    public TimeSpan ConsoleRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the longest-waiting due run may wait for a worker before the <c>flowdashboard</c> health check says Degraded.</summary>
    /// <remarks>
    /// Default 5 minutes. A backlog that clears within it is load; a run waiting longer means the workers do not keep
    /// up (too few, or held by long steps), and the check then gives the count of runs due and the oldest one's wait.
    /// </remarks>
    public TimeSpan HealthBacklogWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The store the engine runs on, set by a provider's <c>Use...</c> method.</summary>
    internal IStoreProvider? Store { get; private set; }

    /// <summary>Sets the store; what a provider's <c>o.UseSqlite(...)</c> and the like call.</summary>
    internal FlowDashboardOptions UseStore(IStoreProvider store, string connectionString)
    {
        Store = store;
        ConnectionString = connectionString;
        return this;
    }
}
