using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowDashboard.Bench.Reporting;

/// <summary>The results as the console's table, <c>bench-results.md</c> and <c>bench-results.json</c>.</summary>
public sealed class BenchReport(IReadOnlyList<BenchResult> results, MachineInfo machine, BenchSettings settings)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The table, aligned for a terminal.</summary>
    public string Text()
    {
        var rows = ResultTable.Rows(results).Prepend(ResultTable.Headers).ToList();
        var widths = Enumerable.Range(0, ResultTable.Headers.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in rows.Select((row, index) => (row, index)))
        {
            text.AppendLine(string.Join(" | ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            if (index == 0) text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        }

        return text.ToString();
    }

    /// <summary>The table in markdown, with the machine, the targets and how each figure is measured.</summary>
    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# FlowDashboard benchmark{(settings.Quick ? " (--quick: a smoke check, not a measurement)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.Summary}; load average after: {machine.LoadAverageAfter?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"}.");
        md.AppendLine();
        md.AppendLine(MarkdownTable(results));
        md.AppendLine("## Targets (shown, not asserted)");
        md.AppendLine();
        foreach (var result in results.Where(r => r.Target is not null))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {(result.MeetsTarget == true ? "met" : "**MISSED**")}: {result.Scenario}, {result.Setting}: {result.Target}; measured {Targets.Measured(result)}");
        }

        md.AppendLine();
        md.AppendLine(Method);
        return md.ToString();
    }

    /// <summary>A markdown table of <paramref name="lines"/>.</summary>
    public static string MarkdownTable(IEnumerable<BenchResult> lines)
    {
        var md = new StringBuilder();
        md.AppendLine("| " + string.Join(" | ", ResultTable.Headers) + " |");
        md.AppendLine("|" + string.Concat(ResultTable.Headers.Select(_ => " --- |")));
        foreach (var row in ResultTable.Rows(lines)) md.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        return md.ToString();
    }

    /// <summary>Writes <c>bench-results.md</c> and <c>bench-results.json</c> into <paramref name="folder"/>.</summary>
    public async Task WriteFilesAsync(string folder)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "bench-results.md"), Markdown());
        await using var json = File.Create(Path.Combine(folder, "bench-results.json"));
        await JsonSerializer.SerializeAsync(json, results.Select(Rounded).ToList(), Json);
    }

    private static BenchResult Rounded(BenchResult r) => r with
    {
        Seconds = Round(r.Seconds),
        RunsPerSecond = Round(r.RunsPerSecond),
        StepsPerSecond = Round(r.StepsPerSecond),
        MsPerStepP50 = Round(r.MsPerStepP50),
        MsPerStepP95 = Round(r.MsPerStepP95),
        CommitsPerStep = Round(r.CommitsPerStep),
        CpuMsPerStep = Round(r.CpuMsPerStep),
        CpuCores = Round(r.CpuCores),
        RatioToLimit = Round(r.RatioToLimit),
        LatencyP50Ms = Round(r.LatencyP50Ms),
        LatencyP95Ms = Round(r.LatencyP95Ms),
    };

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private const string Method = """
        ## How it is measured

        - **Wall time, runs/s, steps/s**: a closed loop keeps N runs in flight (each of N callers triggers a run, waits
          until it is final, triggers the next) for a fixed time after a warm-up; steps/s = steps of the runs that
          finished / time from the first trigger to the last run seen final. Stopwatch timestamps throughout.
        - **Final, for the engine**: the bench subscribes to the engine's `RunChangeFeed`; once a run's last step has
          run, each change published for it makes the bench read its status (one indexed read on a connection of
          its own), and the first final status ends the run. No sleeping, no polling. After the loop every run in the
          store is checked to be `Completed`. Hangfire chains end when the storage counts every job `Succeeded`;
          Workflow Core instances on its `WorkflowCompleted` event.
        - **ms/step p50/p95**: timestamps taken inside each step's code; the gap from one step's start to the next one's
          in the same run (nine gaps per 10-step run): what a step costs the engine, commits included. For P0 it is
          the time of one commit.
        - **trigger to first step**: from just before the trigger call to the first step's code starting.
        - **commits/step**: SQLite's own commit hook (`sqlite3_commit_hook`), installed on every connection the engine's
          DbContext opens (an EF Core connection interceptor added with `ConfigureDbContext`) and on every connection of
          Hangfire.Storage.SQLite (through its connection factory), counts every write transaction; those that changed
          no row (an UPDATE matching nothing writes no WAL frame and syncs nothing) are left out. Commits of the
          measured window (warm-up excluded, trigger commits included) / steps. In-memory peers commit nothing ("none").
        - **CPU ms/step, cores busy**: the process's CPU time (all threads: engine, SQLite, Hangfire, the bench's small
          share) over the measured window, per step, and divided by the window's wall time. A PostgreSQL server on the
          same machine is not in it: the engine's lines add, in their note, how many of the machine's cores were busy
          (every process, from `/proc/stat`). Only when that is well under the machine's cores does a low steps/s mean
          the time goes to waiting (locks, sleeps, polling), not computing.
        - **x limit**: steps/s / P0's commits/s at the same synchronous level (non-durable peers: against WAL+FULL).
        - **W2 lateness**: time of the step after the sleep starting its code minus the sleep's `WakeAt` as the engine
          recorded it; runs start every 23 ms so wake-ups fall at every phase of the delayed-job polling. A wake-up
          is a Hangfire delayed job due 3 s early (moved to the queue by the delayed-job poller, `SchedulePollingInterval`,
          and scored by Hangfire in whole seconds); the worker that takes it finds the run not yet due, and the engine
          holds it in process until the run's time, then executes the run there, without a new Hangfire job. With two
          nodes (both in the bench's process, runs triggered on each in turn) either node's poller and workers may take it.
        - **W4**: W1's workload, 100 runs in flight, on one engine node and then on two nodes sharing one PostgreSQL
          database. Both nodes run in the bench's process: two hosts, each with its own services, Hangfire server and
          workers, leases deciding which executes a run, changes relayed with LISTEN/NOTIFY; triggers alternate between
          them and the bench hears runs end on both nodes' feeds. They share the process's cores, so two cannot be faster
          than one: the line shows what the coordination costs. commits/step there counts the engine's DbContext
          transactions on both nodes (Hangfire's own commits are not seen on PostgreSQL), CPU is both nodes'; x limit is
          against P0 on the same server (measured for W4 when P0 did not run).
        - **B1**: the time of one `TriggerBatchAsync` call with 1,000 valid items (bound, checked, recorded in one
          commit, handed to Hangfire) against 1,000 `TriggerAsync` calls one after another; each repetition starts once
          the runs of the one before have completed; the first repetition is a warm-up.
        - **W3**: the store is created by the engine's migrations, then filled with bulk inserts (indexes dropped and
          made again as they were); queries go through the engine's `IRunQueryService` of a host that is built but not
          started; each query once untimed, then repeated; p50/p95 of the repeats.
        - Every scenario runs alone, in a fresh temp folder that is deleted after. The machine's cores are shared with
          other processes (see the load average): figures move by tens of percent from one run to the next.
        - The bench process loads SQLite 3.53 (SourceGear's build, brought in by Hangfire.Storage.SQLite's sqlite-net);
          the engine and P0 use that same library in this process.
        """;
}
