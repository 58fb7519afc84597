using System.Data.Common;
using FlowDashboard.States;
using FlowDashboard.Store;
using Npgsql;
using NpgsqlTypes;

namespace FlowDashboard.PostgreSql;

/// <summary>
/// The hot path's statements in PostgreSQL's dialect (quoted PascalCase columns, <c>IS NOT DISTINCT FROM</c>,
/// booleans), prepared on the writer's connection, each write in as few round trips as it can: its savepoint with its
/// lease check, a step's row with its attempt's. The lease check locks the run's row until the batch commits, so
/// no other transaction can move the lease between the check and the write it guards; a lease is taken only where
/// no live one holds the run; and admission under a flow-control limit holds a transaction-scoped advisory lock on
/// its (workflow, key), so two transactions never both count the last free slot. Whether a lease is live is judged on
/// the database's clock (<c>statement_timestamp()</c>), never a node's: nodes' clocks drift apart.
/// </summary>
internal sealed class PostgreSqlWriterCommands : IWriterCommands
{
    private readonly NpgsqlCommand insertRun;
    private readonly NpgsqlCommand lockKey;
    private readonly NpgsqlCommand lockRun;
    private readonly NpgsqlCommand takeLease;
    private readonly NpgsqlCommand renewLease;
    private readonly NpgsqlCommand completeRun;
    private readonly NpgsqlCommand cancelOpenSteps;
    private readonly NpgsqlCommand holdsLease;
    private readonly NpgsqlCommand savepointHoldsLease;
    private readonly NpgsqlCommand beginNewStep;
    private readonly NpgsqlCommand beginStepAgain;
    private readonly NpgsqlCommand completeAttempt;
    private readonly NpgsqlCommand savepoint;
    private readonly NpgsqlCommand rollbackTo;
    private readonly NpgsqlCommand[] all;

    public PostgreSqlWriterCommands(NpgsqlConnection connection)
    {
        insertRun = Command(
            connection,
            $"""
            INSERT INTO runs ("Id", "Workflow", "Status", "Source", "SourceRef", "ScheduledFor", "ConcurrencyKey", "SingletonKey", "Input",
                "CreatedAt", "UpdatedAt", "DueAt", "Version", "FailureCount", "WakePending", "TraceParent")
            VALUES (@id, @workflow, {SqlText.Literal(RunStatus.Pending)}, @source, @sourceRef, @scheduledFor, @concurrencyKey, @singletonKey, @input, @now, @now, @due, 0, 0, false, @traceParent)
            ON CONFLICT DO NOTHING
            """,
            ("id", NpgsqlDbType.Varchar), ("workflow", NpgsqlDbType.Varchar), ("source", NpgsqlDbType.Varchar), ("sourceRef", NpgsqlDbType.Varchar),
            ("scheduledFor", NpgsqlDbType.TimestampTz), ("concurrencyKey", NpgsqlDbType.Varchar), ("singletonKey", NpgsqlDbType.Varchar),
            ("input", NpgsqlDbType.Text), ("now", NpgsqlDbType.TimestampTz), ("due", NpgsqlDbType.TimestampTz), ("traceParent", NpgsqlDbType.Varchar));
        lockKey = Command(connection, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", ("key", NpgsqlDbType.Text));
        lockRun = Command(connection, """SELECT 1 FROM runs WHERE "Id" = @id FOR UPDATE""", ("id", NpgsqlDbType.Varchar));
        takeLease = Command(
            connection,
            """
            UPDATE runs SET "LeaseOwner" = @owner, "LeaseExpiresAt" = statement_timestamp() + @duration, "Version" = "Version" + 1, "Status" = @status,
                "StartedAt" = COALESCE("StartedAt", @now), "UpdatedAt" = @now, "WakePending" = false
            WHERE "Id" = @id AND "Version" = @version AND ("LeaseOwner" IS NULL OR "LeaseExpiresAt" < statement_timestamp())
                AND (@max::integer IS NULL OR (
                    SELECT COUNT(*) FROM runs o
                    WHERE o."Workflow" = @workflow AND o."ConcurrencyKey" IS NOT DISTINCT FROM @key AND o."LeaseOwner" IS NOT NULL
                        AND o."LeaseExpiresAt" > statement_timestamp()) < @max)
            """,
            ("id", NpgsqlDbType.Varchar), ("version", NpgsqlDbType.Bigint), ("owner", NpgsqlDbType.Varchar), ("duration", NpgsqlDbType.Interval),
            ("status", NpgsqlDbType.Varchar), ("now", NpgsqlDbType.TimestampTz), ("max", NpgsqlDbType.Integer), ("workflow", NpgsqlDbType.Varchar),
            ("key", NpgsqlDbType.Varchar));
        renewLease = Command(
            connection,
            """UPDATE runs SET "LeaseExpiresAt" = statement_timestamp() + @duration WHERE "Id" = @id AND "LeaseOwner" = @owner""",
            ("id", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar), ("duration", NpgsqlDbType.Interval));
        completeRun = Command(
            connection,
            $"""
            UPDATE runs SET "Status" = {SqlText.Literal(RunStatus.Completed)}, "Output" = @output, "CompletedAt" = @now, "UpdatedAt" = @now, "DueAt" = NULL,
                "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL, "SingletonKey" = NULL, "Version" = "Version" + 1
            WHERE "Id" = @id AND "LeaseOwner" = @owner
            """,
            ("id", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar), ("output", NpgsqlDbType.Text), ("now", NpgsqlDbType.TimestampTz));
        cancelOpenSteps = Command(
            connection,
            $"""UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Cancelled)}, "CompletedAt" = @now WHERE "RunId" = @run AND "Status" IN {SqlText.List(StepStatus.Sleeping, StepStatus.Waiting, StepStatus.Pending)}""",
            ("run", NpgsqlDbType.Varchar), ("now", NpgsqlDbType.TimestampTz));
        const string HoldsLease = """SELECT 1 FROM runs WHERE "Id" = @run AND "LeaseOwner" = @owner FOR UPDATE""";
        holdsLease = Command(connection, HoldsLease, ("run", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar));

        // The savepoint first, so that a lease check that fails leaves nothing but this write to roll back.
        savepointHoldsLease = Command(connection, $"SAVEPOINT write; {HoldsLease}", ("run", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar));

        // A step and its attempt in one statement each way, one round trip.
        const string InsertAttempt = $"""
            INSERT INTO step_attempts ("StepId", "Number", "Status", "ScheduledAt", "StartedAt")
            SELECT "Id", @number, '{nameof(AttemptStatus.Running)}', @scheduled, @started FROM s
            RETURNING "StepId"
            """;
        beginNewStep = Command(
            connection,
            $"""
            WITH s AS (
                INSERT INTO steps ("RunId", "Name", "Sequence", "Kind", "Status", "StartedAt", "AttemptCount", "RetryBase", "ParallelGroup")
                VALUES (@run, @name, @sequence, @kind, {SqlText.Literal(StepStatus.Running)}, @started, @number, 0, @group)
                RETURNING "Id")
            {InsertAttempt}
            """,
            ("number", NpgsqlDbType.Integer), ("scheduled", NpgsqlDbType.TimestampTz), ("started", NpgsqlDbType.TimestampTz),
            ("run", NpgsqlDbType.Varchar), ("name", NpgsqlDbType.Varchar), ("sequence", NpgsqlDbType.Integer), ("kind", NpgsqlDbType.Varchar),
            ("group", NpgsqlDbType.Integer));
        beginStepAgain = Command(
            connection,
            $"""
            WITH s AS (
                UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Running)}, "AttemptCount" = @number, "NextAttemptAt" = NULL WHERE "Id" = @id
                RETURNING "Id")
            {InsertAttempt}
            """,
            ("number", NpgsqlDbType.Integer), ("scheduled", NpgsqlDbType.TimestampTz), ("started", NpgsqlDbType.TimestampTz), ("id", NpgsqlDbType.Bigint));
        completeAttempt = Command(
            connection,
            $"""
            WITH s AS (
                UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Completed)}, "Output" = @output, "CompletedAt" = @completed, "Error" = NULL,
                    "CompletionOrder" = @order, "AttemptCount" = @number, "NextAttemptAt" = NULL
                WHERE "Id" = @id
                RETURNING "Id")
            UPDATE step_attempts SET "Status" = {SqlText.Literal(AttemptStatus.Completed)}, "EndedAt" = @completed
            WHERE "StepId" = (SELECT "Id" FROM s) AND "Number" = @number
            """,
            ("id", NpgsqlDbType.Bigint), ("output", NpgsqlDbType.Text), ("completed", NpgsqlDbType.TimestampTz), ("order", NpgsqlDbType.Integer),
            ("number", NpgsqlDbType.Integer));
        savepoint = Command(connection, "SAVEPOINT write");
        rollbackTo = Command(connection, "ROLLBACK TO SAVEPOINT write");
        all = [insertRun, lockKey, lockRun, takeLease, renewLease, completeRun, cancelOpenSteps, holdsLease, savepointHoldsLease, beginNewStep, beginStepAgain, completeAttempt, savepoint, rollbackTo];
    }

    public void Enlist(DbTransaction? transaction)
    {
        foreach (var command in all) command.Transaction = (NpgsqlTransaction?)transaction;
    }

    public bool InsertRun(RunEntity run)
    {
        var p = insertRun.Parameters;
        p[0].Value = run.Id;
        p[1].Value = run.Workflow;
        p[2].Value = run.Source.Name;
        p[3].Value = Nullable(run.SourceRef);
        p[4].Value = Time(run.ScheduledFor);
        p[5].Value = Nullable(run.ConcurrencyKey);
        p[6].Value = Nullable(run.SingletonKey);
        p[7].Value = Nullable(run.Input);
        p[8].Value = Time(run.CreatedAt);
        p[9].Value = Time(run.DueAt);
        p[10].Value = Nullable(run.TraceParent);
        return Execute(insertRun) == 1;
    }

    public bool TakeLease(RunEntity run, long version, string owner, TimeSpan duration, RunStatus status, DateTime now, int? maxInFlight)
    {
        if (maxInFlight is not null) LockKey($"{run.Workflow}\u001f{run.ConcurrencyKey}");

        var p = takeLease.Parameters;
        p[0].Value = run.Id;
        p[1].Value = version;
        p[2].Value = owner;
        p[3].Value = duration;
        p[4].Value = status.ToString();
        p[5].Value = Time(now);
        p[6].Value = (object?)maxInFlight ?? DBNull.Value;
        p[7].Value = run.Workflow;
        p[8].Value = Nullable(run.ConcurrencyKey);
        return Execute(takeLease) == 1;
    }

    public bool RenewLease(string runId, string owner, TimeSpan duration, DateTime now)
    {
        var p = renewLease.Parameters;
        p[0].Value = runId;
        p[1].Value = owner;
        p[2].Value = duration;
        return Execute(renewLease) == 1;
    }

    public bool CompleteRun(string runId, string owner, string? output, DateTime now)
    {
        var p = completeRun.Parameters;
        p[0].Value = runId;
        p[1].Value = owner;
        p[2].Value = Nullable(output);
        p[3].Value = Time(now);
        return Execute(completeRun) == 1;
    }

    public void CancelOpenSteps(string runId, DateTime now)
    {
        cancelOpenSteps.Parameters[0].Value = runId;
        cancelOpenSteps.Parameters[1].Value = Time(now);
        Execute(cancelOpenSteps);
    }

    public void BeginAttempt(StepEntity step, bool isNew, int number, DateTime scheduledAt, DateTime startedAt)
    {
        var command = isNew ? beginNewStep : beginStepAgain;
        var p = command.Parameters;
        p[0].Value = number;
        p[1].Value = Time(scheduledAt);
        p[2].Value = Time(startedAt);
        if (isNew)
        {
            p[3].Value = step.RunId;
            p[4].Value = step.Name;
            p[5].Value = step.Sequence;
            p[6].Value = step.Kind.ToString();
            p[7].Value = (object?)step.ParallelGroup ?? DBNull.Value;
        }
        else
        {
            p[3].Value = step.Id;
        }

        step.Id = Scalar(command) is long id ? id : throw new InvalidOperationException($"Step {step.Id} is not in the store; its write was lost.");
    }

    public void CompleteAttempt(long stepId, string? output, DateTime completedAt, int? completionOrder, int number)
    {
        var p = completeAttempt.Parameters;
        p[0].Value = stepId;
        p[1].Value = Nullable(output);
        p[2].Value = Time(completedAt);
        p[3].Value = (object?)completionOrder ?? DBNull.Value;
        p[4].Value = number;
        Expect(Execute(completeAttempt), stepId);
    }

    public void LockRun(string runId)
    {
        lockRun.Parameters[0].Value = runId;
        Scalar(lockRun);
    }

    public void LockKey(string key)
    {
        lockKey.Parameters[0].Value = key;
        Scalar(lockKey);
    }

    // One round trip either way. A savepoint is never released: a batch's writes stack theirs (at most MaxBatch, under
    // the 64 subtransactions a backend caches), a rollback goes back to the latest, and the commit ends them all.
    public bool BeginWrite(bool savepoint, LeaseFence? lease)
    {
        if (lease is null)
        {
            if (savepoint) Execute(this.savepoint);
            return true;
        }

        var command = savepoint ? savepointHoldsLease : holdsLease;
        command.Parameters[0].Value = lease.RunId;
        command.Parameters[1].Value = lease.Owner;
        return Scalar(command) is not null;
    }

    public void EndWrite(bool keep)
    {
        if (!keep) Execute(rollbackTo);
    }

    public void Dispose()
    {
        foreach (var command in all) command.Dispose();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, NpgsqlDbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters) command.Parameters.Add(new NpgsqlParameter(name, type));
        return command;
    }

    // Prepared on first use, on the connection it will always run on: the server parses and plans it once.
    private static int Execute(NpgsqlCommand command)
    {
        if (!command.IsPrepared) command.Prepare();
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlCommand command)
    {
        if (!command.IsPrepared) command.Prepare();
        return command.ExecuteScalar();
    }

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    // timestamptz takes UTC only; the store's times are UTC, some of them read back with their kind unset.
    private static object Time(DateTime? value) => value is { } time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : DBNull.Value;

    // A row that is not there means a write of this step was lost: never report it as recorded.
    private static void Expect(int rows, long stepId)
    {
        if (rows != 1) throw new InvalidOperationException($"Step {stepId} is not in the store; its write was lost.");
    }
}
