namespace FlowDashboard.Bench;

/// <summary>How long and how big each scenario runs: the full run, or <c>--quick</c> for a smoke check.</summary>
/// <param name="Quick">Every scenario briefly (under two minutes in all).</param>
/// <param name="Only">Scenario ids to run (P0, W1, R1, W4, HF, WFC, W2, B1, W3); empty for all.</param>
/// <param name="Postgres">
/// A PostgreSQL server to run P0, W1 and W2 on as well, and W4 on (<c>--postgres "Host=...;Username=..."</c>, a user that
/// may create databases; <c>bench/postgres.sh</c> starts a private one); null for SQLite only (W4 is then not run).
/// </param>
public sealed record BenchSettings(bool Quick, IReadOnlySet<string> Only, string? Postgres = null)
{
    /// <summary>How long P0 commits rows, per synchronous level.</summary>
    public TimeSpan LimitDuration => Quick ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(8);

    /// <summary>How long a throughput scenario warms up before it is measured (JIT, pools, caches).</summary>
    public TimeSpan WarmUp => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2);

    /// <summary>How long a throughput scenario keeps triggering runs; the runs in flight then finish.</summary>
    public TimeSpan Duration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(20);

    /// <summary>How many sleeping runs W2 starts.</summary>
    public int SleepRuns => Quick ? 30 : 200;

    /// <summary>
    /// How many runs (or jobs) each system executes at once: the engine's default worker count, given to the
    /// peers too, so every system gets the same threads.
    /// </summary>
    public static int Workers { get; } = new FlowDashboardOptions().WorkerCount;

    /// <summary>How many runs W3 seeds.</summary>
    public int SeedRuns => Quick ? 100_000 : 1_000_000;

    /// <summary>How often W3 times each query (after one untimed call).</summary>
    public int QueryRepeats => Quick ? 5 : 15;

    /// <summary>Whether the scenario with this id is to run.</summary>
    public bool Runs(string id) => Only.Count == 0 || Only.Contains(id);

    /// <summary>Reads <c>--quick</c>, <c>--only P0,W1,...</c> and <c>--postgres ...</c>.</summary>
    /// <exception cref="ArgumentException">An argument it does not know.</exception>
    public static BenchSettings Parse(string[] args)
    {
        var quick = false;
        string? postgres = null;
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--postgres" when i + 1 < args.Length:
                    postgres = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --quick, --only P0,W1,R1,W4,HF,WFC,W2,B1,W3 and --postgres <connection string>.", nameof(args));
            }
        }

        return new BenchSettings(quick, only, postgres);
    }
}
