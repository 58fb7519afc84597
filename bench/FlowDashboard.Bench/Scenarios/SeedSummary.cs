namespace FlowDashboard.Bench.Scenarios;

/// <summary>What <see cref="StoreSeeder"/> wrote.</summary>
/// <param name="Runs">Runs.</param>
/// <param name="Steps">Steps.</param>
/// <param name="Attempts">Step attempts.</param>
/// <param name="Seconds">How long seeding took, indexes included.</param>
/// <param name="FileMiB">The store file's size after.</param>
public sealed record SeedSummary(int Runs, long Steps, long Attempts, double Seconds, double FileMiB);
