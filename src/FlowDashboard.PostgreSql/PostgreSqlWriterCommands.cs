using System.Data.Common;
using FlowDashboard.States;
using FlowDashboard.Store;
using Npgsql;
using NpgsqlTypes;

namespace FlowDashboard.PostgreSql;

/// <summary>
/// The hot path's statements in PostgreSQL's dialect (quoted PascalCase columns, <c>IS NOT DISTINCT FROM</c>,
/// booleans), prepared on the writer's connection. The lease check locks the run's row until the batch commits, so
/// no other transaction can move the lease between the check and the write it guards; a lease is taken only where
/// no live one holds the run; and admission under a flow-control limit holds a transaction-scoped advisory lock on
/// its (workflow, key), so two transactions never both count the last free slot.
/// </summary>
internal sealed class PostgreSqlWriterCommands : IWriterCommands
{
    private readonly NpgsqlCommand insertRun;
    private readonly NpgsqlCommand lockKey;
    private readonly NpgsqlCommand lockRun;
    private readonly NpgsqlCommand takeLease;
    private readonly NpgsqlCommand completeRun;
    private readonly NpgsqlCommand cancelOpenSteps;
    private readonly NpgsqlCommand holdsLease;
    private readonly NpgsqlCommand insertStep;
    private readonly NpgsqlCommand startStep;
    private readonly NpgsqlCommand completeStep;
    private readonly NpgsqlCommand insertAttempt;
    private readonly NpgsqlCommand completeAttempt;
    private readonly NpgsqlCommand savepoint;
    private readonly NpgsqlCommand release;
    private readonly NpgsqlCommand rollbackTo;
    private readonly NpgsqlCommand[] all;

    public PostgreSqlWriterCommands(NpgsqlConnection connection)
    {
        insertRun = Command(
            connection,
            $"""
            INSERT INTO runs ("Id", "Workflow", "Status", "Source", "SourceRef", "ScheduledFor", "ConcurrencyKey", "SingletonKey", "Input",
                "CreatedAt", "UpdatedAt", "DueAt", "Version", "FailureCount", "WakePending")
            VALUES (@id, @workflow, {SqlText.Literal(RunStatus.Pending)}, @source, @sourceRef, @scheduledFor, @concurrencyKey, @singletonKey, @input, @now, @now, @due, 0, 0, false)
            ON CONFLICT DO NOTHING
            """,
            ("id", NpgsqlDbType.Varchar), ("workflow", NpgsqlDbType.Varchar), ("source", NpgsqlDbType.Varchar), ("sourceRef", NpgsqlDbType.Varchar),
            ("scheduledFor", NpgsqlDbType.TimestampTz), ("concurrencyKey", NpgsqlDbType.Varchar), ("singletonKey", NpgsqlDbType.Varchar),
            ("input", NpgsqlDbType.Text), ("now", NpgsqlDbType.TimestampTz), ("due", NpgsqlDbType.TimestampTz));
        lockKey = Command(connection, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", ("key", NpgsqlDbType.Text));
        lockRun = Command(connection, """SELECT 1 FROM runs WHERE "Id" = @id FOR UPDATE""", ("id", NpgsqlDbType.Varchar));
        takeLease = Command(
            connection,
            """
            UPDATE runs SET "LeaseOwner" = @owner, "LeaseExpiresAt" = @expires, "Version" = "Version" + 1, "Status" = @status,
                "StartedAt" = COALESCE("StartedAt", @now), "UpdatedAt" = @now, "WakePending" = false
            WHERE "Id" = @id AND "Version" = @version AND ("LeaseOwner" IS NULL OR "LeaseExpiresAt" < @now)
                AND (@max::integer IS NULL OR (
                    SELECT COUNT(*) FROM runs o
                    WHERE o."Workflow" = @workflow AND o."ConcurrencyKey" IS NOT DISTINCT FROM @key AND o."LeaseOwner" IS NOT NULL AND o."LeaseExpiresAt" > @now) < @max)
            """,
            ("id", NpgsqlDbType.Varchar), ("version", NpgsqlDbType.Bigint), ("owner", NpgsqlDbType.Varchar), ("expires", NpgsqlDbType.TimestampTz),
            ("status", NpgsqlDbType.Varchar), ("now", NpgsqlDbType.TimestampTz), ("max", NpgsqlDbType.Integer), ("workflow", NpgsqlDbType.Varchar),
            ("key", NpgsqlDbType.Varchar));
        completeRun = Command(
            connection,
            $"""
            UPDATE runs SET "Status" = {SqlText.Literal(RunStatus.Completed)}, "Output" = @output, "CompletedAt" = @now, "UpdatedAt" = @now, "DueAt" = NULL,
                "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL, "SingletonKey" = NULL
            WHERE "Id" = @id AND "LeaseOwner" = @owner
            """,
            ("id", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar), ("output", NpgsqlDbType.Text), ("now", NpgsqlDbType.TimestampTz));
        cancelOpenSteps = Command(
            connection,
            $"""UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Cancelled)}, "CompletedAt" = @now WHERE "RunId" = @run AND "Status" IN {SqlText.List(StepStatus.Sleeping, StepStatus.Waiting, StepStatus.Pending)}""",
            ("run", NpgsqlDbType.Varchar), ("now", NpgsqlDbType.TimestampTz));
        holdsLease = Command(
            connection,
            """SELECT 1 FROM runs WHERE "Id" = @run AND "LeaseOwner" = @owner FOR UPDATE""",
            ("run", NpgsqlDbType.Varchar), ("owner", NpgsqlDbType.Varchar));
        insertStep = Command(
            connection,
            """
            INSERT INTO steps ("RunId", "Name", "Sequence", "Kind", "Status", "Output", "StartedAt", "CompletedAt", "AttemptCount", "RetryBase",
                "CompletionOrder", "ParallelGroup")
            VALUES (@run, @name, @sequence, @kind, @status, @output, @started, @completed, @attempts, 0, @order, @group)
            RETURNING "Id"
            """,
            ("run", NpgsqlDbType.Varchar), ("name", NpgsqlDbType.Varchar), ("sequence", NpgsqlDbType.Integer), ("kind", NpgsqlDbType.Varchar),
            ("status", NpgsqlDbType.Varchar), ("output", NpgsqlDbType.Text), ("started", NpgsqlDbType.TimestampTz), ("completed", NpgsqlDbType.TimestampTz),
            ("attempts", NpgsqlDbType.Integer), ("order", NpgsqlDbType.Integer), ("group", NpgsqlDbType.Integer));
        startStep = Command(
            connection,
            $"""UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Running)}, "AttemptCount" = @attempts, "NextAttemptAt" = NULL WHERE "Id" = @id""",
            ("id", NpgsqlDbType.Bigint), ("attempts", NpgsqlDbType.Integer));
        completeStep = Command(
            connection,
            $"""
            UPDATE steps SET "Status" = {SqlText.Literal(StepStatus.Completed)}, "Output" = @output, "CompletedAt" = @completed, "Error" = NULL, "CompletionOrder" = @order,
                "AttemptCount" = @attempts, "NextAttemptAt" = NULL
            WHERE "Id" = @id
            """,
            ("id", NpgsqlDbType.Bigint), ("output", NpgsqlDbType.Text), ("completed", NpgsqlDbType.TimestampTz), ("order", NpgsqlDbType.Integer),
            ("attempts", NpgsqlDbType.Integer));
        insertAttempt = Command(
            connection,
            """
            INSERT INTO step_attempts ("StepId", "Number", "Status", "ScheduledAt", "StartedAt", "EndedAt")
            VALUES (@step, @number, @status, @scheduled, @started, @ended)
            """,
            ("step", NpgsqlDbType.Bigint), ("number", NpgsqlDbType.Integer), ("status", NpgsqlDbType.Varchar), ("scheduled", NpgsqlDbType.TimestampTz),
            ("started", NpgsqlDbType.TimestampTz), ("ended", NpgsqlDbType.TimestampTz));
        completeAttempt = Command(
            connection,
            $"""UPDATE step_attempts SET "Status" = {SqlText.Literal(AttemptStatus.Completed)}, "EndedAt" = @ended WHERE "StepId" = @step AND "Number" = @number""",
            ("step", NpgsqlDbType.Bigint), ("number", NpgsqlDbType.Integer), ("ended", NpgsqlDbType.TimestampTz));
        savepoint = Command(connection, "SAVEPOINT write");
        release = Command(connection, "RELEASE SAVEPOINT write");
        rollbackTo = Command(connection, "ROLLBACK TO SAVEPOINT write");
        all = [insertRun, lockKey, lockRun, takeLease, completeRun, cancelOpenSteps, holdsLease, insertStep, startStep, completeStep, insertAttempt, completeAttempt, savepoint, release, rollbackTo];
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
        p[2].Value = run.Source;
        p[3].Value = Nullable(run.SourceRef);
        p[4].Value = Time(run.ScheduledFor);
        p[5].Value = Nullable(run.ConcurrencyKey);
        p[6].Value = Nullable(run.SingletonKey);
        p[7].Value = Nullable(run.Input);
        p[8].Value = Time(run.CreatedAt);
        p[9].Value = Time(run.DueAt);
        return Execute(insertRun) == 1;
    }

    public bool TakeLease(RunEntity run, long version, string owner, DateTime expires, RunStatus status, DateTime now, int? maxInFlight)
    {
        if (maxInFlight is not null) LockKey($"{run.Workflow}\u001f{run.ConcurrencyKey}");

        var p = takeLease.Parameters;
        p[0].Value = run.Id;
        p[1].Value = version;
        p[2].Value = owner;
        p[3].Value = Time(expires);
        p[4].Value = status.ToString();
        p[5].Value = Time(now);
        p[6].Value = (object?)maxInFlight ?? DBNull.Value;
        p[7].Value = run.Workflow;
        p[8].Value = Nullable(run.ConcurrencyKey);
        return Execute(takeLease) == 1;
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

    public bool HoldsLease(string runId, string owner)
    {
        holdsLease.Parameters[0].Value = runId;
        holdsLease.Parameters[1].Value = owner;
        return Scalar(holdsLease) is not null;
    }

    public void InsertStep(StepEntity step)
    {
        var p = insertStep.Parameters;
        p[0].Value = step.RunId;
        p[1].Value = step.Name;
        p[2].Value = step.Sequence;
        p[3].Value = step.Kind.ToString();
        p[4].Value = step.Status.ToString();
        p[5].Value = Nullable(step.Output);
        p[6].Value = Time(step.StartedAt);
        p[7].Value = Time(step.CompletedAt);
        p[8].Value = step.AttemptCount;
        p[9].Value = (object?)step.CompletionOrder ?? DBNull.Value;
        p[10].Value = (object?)step.ParallelGroup ?? DBNull.Value;
        step.Id = (long)Scalar(insertStep)!;
    }

    public void StartStep(long stepId, int attempts)
    {
        startStep.Parameters[0].Value = stepId;
        startStep.Parameters[1].Value = attempts;
        Expect(Execute(startStep), stepId);
    }

    public void CompleteStep(long stepId, string? output, DateTime completedAt, int? completionOrder, int attempts)
    {
        var p = completeStep.Parameters;
        p[0].Value = stepId;
        p[1].Value = Nullable(output);
        p[2].Value = Time(completedAt);
        p[3].Value = (object?)completionOrder ?? DBNull.Value;
        p[4].Value = attempts;
        Expect(Execute(completeStep), stepId);
    }

    public void InsertAttempt(long stepId, int number, AttemptStatus status, DateTime scheduledAt, DateTime startedAt, DateTime? endedAt)
    {
        var p = insertAttempt.Parameters;
        p[0].Value = stepId;
        p[1].Value = number;
        p[2].Value = status.ToString();
        p[3].Value = Time(scheduledAt);
        p[4].Value = Time(startedAt);
        p[5].Value = Time(endedAt);
        Execute(insertAttempt);
    }

    public void CompleteAttempt(long stepId, int number, DateTime endedAt)
    {
        completeAttempt.Parameters[0].Value = stepId;
        completeAttempt.Parameters[1].Value = number;
        completeAttempt.Parameters[2].Value = Time(endedAt);
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

    public void Savepoint() => Execute(savepoint);

    public void Release() => Execute(release);

    public void RollBack()
    {
        Execute(rollbackTo);
        Execute(release);
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
