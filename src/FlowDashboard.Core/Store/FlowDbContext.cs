using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FlowDashboard.Store;

/// <summary>The store of runs, steps and attempts: the single source of truth.</summary>
/// <param name="options">The provider's options.</param>
public sealed class FlowDbContext(DbContextOptions<FlowDbContext> options) : DbContext(options)
{
    internal DbSet<RunEntity> Runs => Set<RunEntity>();
    internal DbSet<RunTagEntity> RunTags => Set<RunTagEntity>();
    internal DbSet<StepEntity> Steps => Set<StepEntity>();
    internal DbSet<AttemptEntity> Attempts => Set<AttemptEntity>();
    internal DbSet<AuditEntity> Audit => Set<AuditEntity>();
    internal DbSet<ScheduleEntity> Schedules => Set<ScheduleEntity>();
    internal DbSet<PendingEventEntity> PendingEvents => Set<PendingEventEntity>();
    internal DbSet<RateStartEntity> RateStarts => Set<RateStartEntity>();
    internal DbSet<RunCountEntity> RunCounts => Set<RunCountEntity>();
    internal DbSet<PausedWorkflowEntity> PausedWorkflows => Set<PausedWorkflowEntity>();
    internal DbSet<BulkOperationEntity> BulkOperations => Set<BulkOperationEntity>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FlowDbContext).Assembly);

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite gives DateTime back as Unspecified, so the kind is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
