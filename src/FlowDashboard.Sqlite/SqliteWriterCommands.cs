using System.Data.Common;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Sqlite;

/// <summary>The hot path's statements in SQLite's dialect (unquoted PascalCase columns, <c>IS</c> for equality with NULL, integer booleans).</summary>
internal sealed class SqliteWriterCommands : IWriterCommands
{
    private readonly SqliteCommand insertRun;
    private readonly SqliteCommand takeLease;
    private readonly SqliteCommand renewLease;
    private readonly SqliteCommand completeRun;
    private readonly SqliteCommand cancelOpenSteps;
    private readonly SqliteCommand holdsLease;
    private readonly SqliteCommand insertStep;
    private readonly SqliteCommand startStep;
    private readonly SqliteCommand completeStep;
    private readonly SqliteCommand insertAttempt;
    private readonly SqliteCommand completeAttempt;
    private readonly SqliteCommand savepoint;
    private readonly SqliteCommand release;
    private readonly SqliteCommand rollbackTo;
    private readonly SqliteCommand[] all;

    public SqliteWriterCommands(SqliteConnection connection)
    {
        insertRun = Prepare(
            connection,
            $"""
            INSERT INTO runs (Id, Workflow, Status, Source, SourceRef, ScheduledFor, ConcurrencyKey, SingletonKey, Input, CreatedAt, UpdatedAt, DueAt,
                Version, FailureCount, WakePending, TraceParent)
            VALUES ($id, $workflow, {SqlText.Literal(RunStatus.Pending)}, $source, $sourceRef, $scheduledFor, $concurrencyKey, $singletonKey, $input, $now, $now, $due, 0, 0, 0, $traceParent)
            ON CONFLICT DO NOTHING
            """,
            "$id", "$workflow", "$source", "$sourceRef", "$scheduledFor", "$concurrencyKey", "$singletonKey", "$input", "$now", "$due", "$traceParent");
        takeLease = Prepare(
            connection,
            """
            UPDATE runs SET LeaseOwner = $owner, LeaseExpiresAt = $expires, Version = Version + 1, Status = $status,
                StartedAt = COALESCE(StartedAt, $now), UpdatedAt = $now, WakePending = 0
            WHERE Id = $id AND Version = $version AND (LeaseOwner IS NULL OR LeaseExpiresAt < $now)
                AND CASE WHEN $max IS NULL THEN 1 ELSE (
                    SELECT COUNT(*) FROM runs o
                    WHERE o.Workflow = $workflow AND o.ConcurrencyKey IS $key AND o.LeaseOwner IS NOT NULL AND o.LeaseExpiresAt > $now) < $max END
            """,
            "$id", "$version", "$owner", "$expires", "$status", "$now", "$max", "$workflow", "$key");
        renewLease = Prepare(connection, "UPDATE runs SET LeaseExpiresAt = $expires WHERE Id = $id AND LeaseOwner = $owner", "$id", "$owner", "$expires");
        completeRun = Prepare(
            connection,
            $"""
            UPDATE runs SET Status = {SqlText.Literal(RunStatus.Completed)}, Output = $output, CompletedAt = $now, UpdatedAt = $now, DueAt = NULL,
                LeaseOwner = NULL, LeaseExpiresAt = NULL, SingletonKey = NULL, Version = Version + 1
            WHERE Id = $id AND LeaseOwner = $owner
            """,
            "$id", "$owner", "$output", "$now");
        cancelOpenSteps = Prepare(
            connection,
            $"UPDATE steps SET Status = {SqlText.Literal(StepStatus.Cancelled)}, CompletedAt = $now WHERE RunId = $run AND Status IN {SqlText.List(StepStatus.Sleeping, StepStatus.Waiting, StepStatus.Pending)}",
            "$run", "$now");
        holdsLease = Prepare(connection, "SELECT 1 FROM runs WHERE Id = $run AND LeaseOwner = $owner", "$run", "$owner");
        insertStep = Prepare(
            connection,
            """
            INSERT INTO steps (RunId, Name, Sequence, Kind, Status, Output, StartedAt, CompletedAt, AttemptCount, RetryBase, CompletionOrder, ParallelGroup)
            VALUES ($run, $name, $sequence, $kind, $status, $output, $started, $completed, $attempts, 0, $order, $group)
            RETURNING Id
            """,
            "$run", "$name", "$sequence", "$kind", "$status", "$output", "$started", "$completed", "$attempts", "$order", "$group");
        startStep = Prepare(
            connection,
            $"UPDATE steps SET Status = {SqlText.Literal(StepStatus.Running)}, AttemptCount = $attempts, NextAttemptAt = NULL WHERE Id = $id",
            "$id", "$attempts");
        completeStep = Prepare(
            connection,
            $"""
            UPDATE steps SET Status = {SqlText.Literal(StepStatus.Completed)}, Output = $output, CompletedAt = $completed, Error = NULL, CompletionOrder = $order,
                AttemptCount = $attempts, NextAttemptAt = NULL
            WHERE Id = $id
            """,
            "$id", "$output", "$completed", "$order", "$attempts");
        insertAttempt = Prepare(
            connection,
            "INSERT INTO step_attempts (StepId, Number, Status, ScheduledAt, StartedAt, EndedAt) VALUES ($step, $number, $status, $scheduled, $started, NULL)",
            "$step", "$number", "$status", "$scheduled", "$started");
        completeAttempt = Prepare(
            connection,
            $"UPDATE step_attempts SET Status = {SqlText.Literal(AttemptStatus.Completed)}, EndedAt = $ended WHERE StepId = $step AND Number = $number",
            "$step", "$number", "$ended");
        savepoint = Prepare(connection, "SAVEPOINT write");
        release = Prepare(connection, "RELEASE write");
        rollbackTo = Prepare(connection, "ROLLBACK TO write");
        all = [insertRun, takeLease, renewLease, completeRun, cancelOpenSteps, holdsLease, insertStep, startStep, completeStep, insertAttempt, completeAttempt, savepoint, release, rollbackTo];
    }

    public void Enlist(DbTransaction? transaction)
    {
        foreach (var command in all) command.Transaction = (SqliteTransaction?)transaction;
    }

    public bool InsertRun(RunEntity run)
    {
        var p = insertRun.Parameters;
        p[0].Value = run.Id;
        p[1].Value = run.Workflow;
        p[2].Value = run.Source.Name;
        p[3].Value = (object?)run.SourceRef ?? DBNull.Value;
        p[4].Value = (object?)run.ScheduledFor ?? DBNull.Value;
        p[5].Value = (object?)run.ConcurrencyKey ?? DBNull.Value;
        p[6].Value = (object?)run.SingletonKey ?? DBNull.Value;
        p[7].Value = (object?)run.Input ?? DBNull.Value;
        p[8].Value = run.CreatedAt;
        p[9].Value = (object?)run.DueAt ?? DBNull.Value;
        p[10].Value = (object?)run.TraceParent ?? DBNull.Value;
        return insertRun.ExecuteNonQuery() == 1;
    }

    // One process owns the file: its clock is the database's.
    public bool TakeLease(RunEntity run, long version, string owner, TimeSpan duration, RunStatus status, DateTime now, int? maxInFlight)
    {
        var p = takeLease.Parameters;
        p[0].Value = run.Id;
        p[1].Value = version;
        p[2].Value = owner;
        p[3].Value = now + duration;
        p[4].Value = status.ToString();
        p[5].Value = now;
        p[6].Value = (object?)maxInFlight ?? DBNull.Value;
        p[7].Value = run.Workflow;
        p[8].Value = (object?)run.ConcurrencyKey ?? DBNull.Value;
        return takeLease.ExecuteNonQuery() == 1;
    }

    public bool RenewLease(string runId, string owner, TimeSpan duration, DateTime now)
    {
        var p = renewLease.Parameters;
        p[0].Value = runId;
        p[1].Value = owner;
        p[2].Value = now + duration;
        return renewLease.ExecuteNonQuery() == 1;
    }

    public bool CompleteRun(string runId, string owner, string? output, DateTime now)
    {
        var p = completeRun.Parameters;
        p[0].Value = runId;
        p[1].Value = owner;
        p[2].Value = (object?)output ?? DBNull.Value;
        p[3].Value = now;
        return completeRun.ExecuteNonQuery() == 1;
    }

    public void CancelOpenSteps(string runId, DateTime now)
    {
        cancelOpenSteps.Parameters[0].Value = runId;
        cancelOpenSteps.Parameters[1].Value = now;
        cancelOpenSteps.ExecuteNonQuery();
    }

    public void BeginAttempt(StepEntity step, bool isNew, int number, DateTime scheduledAt, DateTime startedAt)
    {
        if (isNew)
        {
            var p = insertStep.Parameters;
            p[0].Value = step.RunId;
            p[1].Value = step.Name;
            p[2].Value = step.Sequence;
            p[3].Value = step.Kind.ToString();
            p[4].Value = step.Status.ToString();
            p[5].Value = (object?)step.Output ?? DBNull.Value;
            p[6].Value = step.StartedAt;
            p[7].Value = (object?)step.CompletedAt ?? DBNull.Value;
            p[8].Value = step.AttemptCount;
            p[9].Value = (object?)step.CompletionOrder ?? DBNull.Value;
            p[10].Value = (object?)step.ParallelGroup ?? DBNull.Value;
            step.Id = (long)insertStep.ExecuteScalar()!;
        }
        else
        {
            startStep.Parameters[0].Value = step.Id;
            startStep.Parameters[1].Value = number;
            Expect(startStep.ExecuteNonQuery(), step.Id);
        }

        var a = insertAttempt.Parameters;
        a[0].Value = step.Id;
        a[1].Value = number;
        a[2].Value = nameof(AttemptStatus.Running);
        a[3].Value = scheduledAt;
        a[4].Value = startedAt;
        insertAttempt.ExecuteNonQuery();
    }

    public void CompleteAttempt(long stepId, string? output, DateTime completedAt, int? completionOrder, int number)
    {
        var p = completeStep.Parameters;
        p[0].Value = stepId;
        p[1].Value = (object?)output ?? DBNull.Value;
        p[2].Value = completedAt;
        p[3].Value = (object?)completionOrder ?? DBNull.Value;
        p[4].Value = number;
        Expect(completeStep.ExecuteNonQuery(), stepId);

        completeAttempt.Parameters[0].Value = stepId;
        completeAttempt.Parameters[1].Value = number;
        completeAttempt.Parameters[2].Value = completedAt;
        Expect(completeAttempt.ExecuteNonQuery(), stepId);
    }

    // The store's one writer runs every write inside the database's write lock (one process, one connection): no other
    // writer can come between a read and a write, so there is nothing more to lock.
    public void LockRun(string runId)
    {
    }

    public void LockKey(string key)
    {
    }

    // Statements cost no round trip here: each is its own call.
    public bool BeginWrite(bool savepoint, LeaseFence? lease)
    {
        if (savepoint) this.savepoint.ExecuteNonQuery();
        if (lease is null) return true;
        holdsLease.Parameters[0].Value = lease.RunId;
        holdsLease.Parameters[1].Value = lease.Owner;
        return holdsLease.ExecuteScalar() is not null;
    }

    public void EndWrite(bool keep)
    {
        if (!keep) rollbackTo.ExecuteNonQuery();
        release.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in all) command.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    // A row that is not there means a write of this step was lost: never report it as recorded.
    private static void Expect(int rows, long stepId)
    {
        if (rows != 1) throw new InvalidOperationException($"Step {stepId} is not in the store; its write was lost.");
    }
}
