using System.Globalization;
using FlowDashboard.Bench.Measurement;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Bench.Scenarios;

/// <summary>
/// Fills a migrated store with runs, three steps each and their attempts, and two tags (a customer, rare, and a
/// region, on a third of the runs each), written straight into the engine's tables (runs, run_tags, steps, step_attempts) with prepared inserts in one transaction; the indexes the
/// migrations made are dropped first and made again after, exactly as they were. Statuses, workflows and
/// creation times are spread as a busy month of a real store would have them; one run has 1,000 steps.
/// </summary>
public sealed class StoreSeeder(int runs)
{
    /// <summary>The workflows the runs belong to, the first the most common.</summary>
    public static readonly string[] Workflows =
        ["order-fulfilment", "send-invoice", "sync-inventory", "onboarding", "nightly-report", "refund", "price-update", "reminder", "image-resize", "account-cleanup"];

    private static readonly double[] WorkflowShare = [0.30, 0.20, 0.12, 0.10, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02];
    private static readonly string[] StepNames = ["load", "process", "notify"];

    /// <summary>The region tag's values: each is on about a third of the runs.</summary>
    public static readonly string[] Regions = ["eu", "us", "ap"];
    private const string Format = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private const string StackTrace = "   at Shop.Payments.CardGateway.ChargeAsync(Order order, CancellationToken ct) in /src/Payments/CardGateway.cs:line 84\n   at Shop.Workflows.OrderFulfilment.<>c__DisplayClass4_0.<<RunAsync>b__1>d.MoveNext() in /src/Workflows/OrderFulfilment.cs:line 37";

    private readonly Random random = new(20261125);

    /// <summary>The run with 1,000 steps.</summary>
    public string LargeRunId { get; } = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddHours(-2)).ToString("N");

    /// <summary>A run with three steps.</summary>
    public string SmallRunId { get; private set; } = string.Empty;

    /// <summary>Seeds the store at <paramref name="path"/>; returns what it wrote.</summary>
    public SeedSummary Seed(string path)
    {
        var started = Ticks.Now;
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;");
        var indexes = new List<(string Name, string Sql)>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('runs', 'run_tags', 'steps', 'step_attempts')";
            using var reader = list.ExecuteReader();
            while (reader.Read()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        foreach (var (name, _) in indexes) Execute(connection, $"DROP INDEX \"{name}\"");
        long steps, attempts;
        using (var transaction = connection.BeginTransaction())
        {
            using var inserts = new Inserts(connection, transaction);
            var now = DateTime.UtcNow;
            var first = now - TimeSpan.FromDays(30);
            var slot = (TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1)).Ticks / runs;
            for (var i = 0; i < runs; i++)
            {
                var createdAt = new DateTime(first.Ticks + (i * slot) + random.NextInt64(1, slot), DateTimeKind.Utc);
                var id = Guid.CreateVersion7(createdAt).ToString("N");
                if (i == runs / 2) SmallRunId = id;
                SeedRun(inserts, id, createdAt);
            }

            SeedLargeRun(inserts, now - TimeSpan.FromHours(2));
            transaction.Commit();
            (steps, attempts) = (inserts.Steps, inserts.Attempts);
        }

        foreach (var (_, sql) in indexes) Execute(connection, sql);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        connection.Close();
        return new SeedSummary(runs + 1, steps, attempts, Ticks.Seconds(started, Ticks.Now), new FileInfo(path).Length / 1024.0 / 1024.0);
    }

    private void SeedRun(Inserts inserts, string id, DateTime createdAt)
    {
        var roll = random.NextDouble();
        var status = roll switch
        {
            < 0.92 => "Completed",
            < 0.97 => "Failed",
            < 0.98 => "Cancelled",
            < 0.99 => "Sleeping",
            < 0.995 => "Waiting",
            _ => "Running",
        };
        var workflow = PickWorkflow();
        var source = random.NextDouble() switch { < 0.75 => "api", < 0.95 => "schedule", _ => "code" };
        var startedAt = createdAt + TimeSpan.FromMilliseconds(random.Next(1, 20));
        var final = status is "Completed" or "Failed" or "Cancelled";
        var durations = StepNames.Select(_ => TimeSpan.FromMilliseconds(random.Next(5, 2_000))).ToArray();
        var endedAt = startedAt + durations.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);

        // The run first: its steps and tags refer to it.
        var customer = $"c-{random.Next(1, 100_000):D6}";
        inserts.Run(
            id, workflow, status, source, createdAt, startedAt, final ? endedAt : null,
            input: $"{{\"orderId\":{random.Next(1, 10_000_000)},\"customer\":\"{customer}\"}}",
            output: status == "Completed" ? "{\"ok\":true}" : null,
            error: status == "Failed" ? "Step 'notify' failed: The card was declined." : null,
            sourceRef: source == "schedule" ? $"{workflow}-schedule" : null);
        inserts.Tag(id, "customer", customer, createdAt);
        inserts.Tag(id, "region", Regions[random.Next(Regions.Length)], createdAt);
        var stepAt = startedAt;
        for (var sequence = 0; sequence < StepNames.Length; sequence++)
        {
            var last = sequence == StepNames.Length - 1;
            var stepStatus = last ? StepStatusOf(status) : "Completed";
            var kind = last && status == "Sleeping" ? "Sleep" : last && status == "Waiting" ? "WaitForEvent" : "Run";
            var duration = durations[sequence];
            var attempts = stepStatus == "Failed" ? 3 : kind == "Run" ? 1 : 0;
            var stepEnd = stepStatus is "Completed" or "Failed" or "Cancelled" ? stepAt + duration : (DateTime?)null;
            var step = inserts.Step(
                id, StepNames[sequence], sequence, kind, stepStatus, stepAt, stepEnd, attempts,
                output: stepStatus == "Completed" ? "{\"ok\":true}" : null,
                error: stepStatus == "Failed" ? "The card was declined." : null,
                wakeAt: kind == "Sleep" ? stepAt + TimeSpan.FromHours(1) : null,
                target: kind == "WaitForEvent" ? $"approval-{id[..12]}" : null,
                completionOrder: stepStatus == "Completed" ? sequence : null);
            for (var number = 1; number <= attempts; number++)
            {
                var failed = stepStatus == "Failed";
                var attemptStatus = failed ? "Failed" : stepStatus == "Running" ? "Running" : stepStatus == "Cancelled" ? "Cancelled" : "Completed";
                inserts.Attempt(step, number, attemptStatus, stepAt, stepAt, attemptStatus == "Running" ? null : stepAt + duration, failed);
            }

            stepAt += duration;
        }
    }

    private void SeedLargeRun(Inserts inserts, DateTime createdAt)
    {
        var at = createdAt + TimeSpan.FromMilliseconds(3);
        inserts.Run(LargeRunId, Workflows[4], "Completed", "api", createdAt, at, at + TimeSpan.FromMilliseconds(50 * 1_000),
            input: "{\"items\":1000}", output: "{\"ok\":true}", error: null, sourceRef: null);
        for (var sequence = 0; sequence < 1_000; sequence++)
        {
            var retried = sequence % 100 == 99;
            var step = inserts.Step(LargeRunId, $"item-{sequence + 1:D4}", sequence, "Run", "Completed", at, at + TimeSpan.FromMilliseconds(40), retried ? 2 : 1,
                output: $"{{\"item\":{sequence + 1},\"ok\":true}}", error: null, wakeAt: null, target: null, completionOrder: sequence);
            if (retried) inserts.Attempt(step, 1, "Failed", at, at, at + TimeSpan.FromMilliseconds(10), failed: true);
            inserts.Attempt(step, retried ? 2 : 1, "Completed", at, at + TimeSpan.FromMilliseconds(10), at + TimeSpan.FromMilliseconds(40), failed: false);
            at += TimeSpan.FromMilliseconds(50);
        }
    }

    private string PickWorkflow()
    {
        var roll = random.NextDouble();
        for (var i = 0; i < Workflows.Length; i++)
        {
            roll -= WorkflowShare[i];
            if (roll < 0) return Workflows[i];
        }

        return Workflows[^1];
    }

    private static string StepStatusOf(string runStatus) => runStatus switch
    {
        "Completed" => "Completed",
        "Failed" => "Failed",
        "Cancelled" => "Cancelled",
        "Sleeping" => "Sleeping",
        "Waiting" => "Waiting",
        _ => "Running",
    };

    private static string At(DateTime value) => value.ToString(Format, CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The three prepared inserts.</summary>
    private sealed class Inserts : IDisposable
    {
        private readonly SqliteCommand run;
        private readonly SqliteCommand step;
        private readonly SqliteCommand attempt;
        private readonly SqliteCommand tag;

        public Inserts(SqliteConnection connection, SqliteTransaction transaction)
        {
            run = Prepare(connection, transaction,
                "INSERT INTO runs (Id, Workflow, Status, Source, SourceRef, Input, Output, Error, ErrorType, CreatedAt, UpdatedAt, StartedAt, CompletedAt, Version, FailureCount, WakePending) " +
                "VALUES ($id, $workflow, $status, $source, $sourceRef, $input, $output, $error, $errorType, $createdAt, $updatedAt, $startedAt, $completedAt, 3, $failureCount, 0)");
            step = Prepare(connection, transaction,
                "INSERT INTO steps (Id, RunId, Name, Sequence, Kind, Status, Output, Error, StartedAt, CompletedAt, WakeAt, AttemptCount, RetryBase, CompletionOrder, Target) " +
                "VALUES ($id, $runId, $name, $sequence, $kind, $status, $output, $error, $startedAt, $completedAt, $wakeAt, $attemptCount, 0, $completionOrder, $target)");
            tag = Prepare(connection, transaction, "INSERT INTO run_tags (RunId, Key, Value, CreatedAt) VALUES ($runId, $key, $value, $createdAt)");
            attempt = Prepare(connection, transaction,
                "INSERT INTO step_attempts (Id, StepId, Number, Status, ScheduledAt, StartedAt, EndedAt, Error, ErrorType, StackTrace) " +
                "VALUES ($id, $stepId, $number, $status, $scheduledAt, $startedAt, $endedAt, $error, $errorType, $stackTrace)");
        }

        public long Steps { get; private set; }

        public long Attempts { get; private set; }

        public void Run(string id, string workflow, string status, string source, DateTime createdAt, DateTime startedAt, DateTime? completedAt,
            string input, string? output, string? error, string? sourceRef)
        {
            Set(run, "$id", id);
            Set(run, "$workflow", workflow);
            Set(run, "$status", status);
            Set(run, "$source", source);
            Set(run, "$sourceRef", sourceRef);
            Set(run, "$input", input);
            Set(run, "$output", output);
            Set(run, "$error", error);
            Set(run, "$errorType", error is null ? null : "System.InvalidOperationException");
            Set(run, "$createdAt", At(createdAt));
            Set(run, "$updatedAt", At(completedAt ?? startedAt));
            Set(run, "$startedAt", At(startedAt));
            Set(run, "$completedAt", completedAt is { } c ? At(c) : null);
            Set(run, "$failureCount", error is null ? 0 : 1);
            run.ExecuteNonQuery();
        }

        public long Step(string runId, string name, int sequence, string kind, string status, DateTime startedAt, DateTime? completedAt, int attemptCount,
            string? output, string? error, DateTime? wakeAt, string? target, int? completionOrder)
        {
            var id = ++Steps;
            Set(step, "$id", id);
            Set(step, "$runId", runId);
            Set(step, "$name", name);
            Set(step, "$sequence", sequence);
            Set(step, "$kind", kind);
            Set(step, "$status", status);
            Set(step, "$output", output);
            Set(step, "$error", error);
            Set(step, "$startedAt", At(startedAt));
            Set(step, "$completedAt", completedAt is { } c ? At(c) : null);
            Set(step, "$wakeAt", wakeAt is { } w ? At(w) : null);
            Set(step, "$attemptCount", attemptCount);
            Set(step, "$completionOrder", completionOrder);
            Set(step, "$target", target);
            step.ExecuteNonQuery();
            return id;
        }

        public void Tag(string runId, string key, string value, DateTime createdAt)
        {
            Set(tag, "$runId", runId);
            Set(tag, "$key", key);
            Set(tag, "$value", value);
            Set(tag, "$createdAt", At(createdAt));
            tag.ExecuteNonQuery();
        }

        public void Attempt(long stepId, int number, string status, DateTime scheduledAt, DateTime startedAt, DateTime? endedAt, bool failed)
        {
            Set(attempt, "$id", ++Attempts);
            Set(attempt, "$stepId", stepId);
            Set(attempt, "$number", number);
            Set(attempt, "$status", status);
            Set(attempt, "$scheduledAt", At(scheduledAt));
            Set(attempt, "$startedAt", At(startedAt));
            Set(attempt, "$endedAt", endedAt is { } e ? At(e) : null);
            Set(attempt, "$error", failed ? "The card was declined." : null);
            Set(attempt, "$errorType", failed ? "System.InvalidOperationException" : null);
            Set(attempt, "$stackTrace", failed ? StackTrace : null);
            attempt.ExecuteNonQuery();
        }

        public void Dispose()
        {
            run.Dispose();
            step.Dispose();
            attempt.Dispose();
            tag.Dispose();
        }

        private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$\w+").Select(m => m.Value).Distinct())
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            return command;
        }

        private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
