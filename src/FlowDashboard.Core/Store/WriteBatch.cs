namespace FlowDashboard.Store;

/// <summary>What one write of a group commit works with.</summary>
/// <param name="Db">The writer's context, inside the batch's transaction; its change tracker is cleared after each write.</param>
/// <param name="Commands">The hot path's prepared statements, inside the same transaction.</param>
/// <param name="Now">The batch's clock time, the same for every write in it.</param>
internal sealed record WriteBatch(FlowDbContext Db, IWriterCommands Commands, DateTime Now);
