namespace FlowDashboard.Scheduling;

/// <summary>What a backfill did.</summary>
/// <param name="Started">Runs started, one per fire time that had none.</param>
/// <param name="AlreadyThere">Fire times that already had their run (a backfill is idempotent per fire time).</param>
public sealed record BackfillResult(int Started, int AlreadyThere);
