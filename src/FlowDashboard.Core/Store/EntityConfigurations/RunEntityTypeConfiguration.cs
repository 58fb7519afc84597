using FlowDashboard.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class RunEntityTypeConfiguration : IEntityTypeConfiguration<RunEntity>
{
    public void Configure(EntityTypeBuilder<RunEntity> builder)
    {
        // The triggers keep run_counts (see RunCountEntity) and the search index (RunSearch); declared so EF writes around them.
        builder.ToTable("runs", table =>
        {
            table.HasTrigger(RunCounts.InsertTrigger);
            table.HasTrigger(RunCounts.UpdateTrigger);
            table.HasTrigger(RunCounts.DeleteTrigger);
            table.HasTrigger(RunSearch.InsertTrigger);
            table.HasTrigger(RunSearch.UpdateTrigger);
            table.HasTrigger(RunSearch.DeleteTrigger);
        });
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(100);
        builder.Property(r => r.Workflow).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Source).HasConversion(s => s.Name, name => new RunSource(name)).HasMaxLength(RunSource.MaxLength);
        builder.Property(r => r.SourceRef).HasMaxLength(200);
        builder.Property(r => r.ConcurrencyKey).HasMaxLength(200);
        builder.Property(r => r.SingletonKey).HasMaxLength(500);
        builder.Property(r => r.TraceParent).HasMaxLength(55);

        // At most one unfinished run per singleton key: the key is cleared when the run ends.
        builder.HasIndex(r => r.SingletonKey).IsUnique().HasFilter("\"SingletonKey\" IS NOT NULL");

        // Flow control counts the runs of a workflow (and key) that hold a lease.
        builder.HasIndex(r => new { r.Workflow, r.ConcurrencyKey, r.LeaseOwner });
        builder.Property(r => r.LeaseOwner).HasMaxLength(64);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);

        // A paused workflow's held runs: counted on the console, made due again by a resume.
        builder.HasIndex(r => new { r.Workflow, r.ConcurrencyKey }).HasDatabaseName("IX_runs_Held").HasFilter("\"Held\"");

        // The reconciler's scan: runs with work left, by due time.
        builder.HasIndex(r => r.DueAt).HasFilter("\"DueAt\" IS NOT NULL");

        // The runs list pages by keyset (CreatedAt, Id) newest first, optionally by workflow and status.
        builder.HasIndex(r => new { r.Status, r.CreatedAt, r.Id });
        builder.HasIndex(r => new { r.Workflow, r.Status, r.CreatedAt, r.Id });
        builder.HasIndex(r => new { r.Workflow, r.CreatedAt, r.Id });
        builder.HasIndex(r => new { r.CreatedAt, r.Id });

        // A schedule's history: the runs it started, newest first.
        builder.HasIndex(r => new { r.SourceRef, r.CreatedAt }).HasFilter("\"SourceRef\" IS NOT NULL");

        // The overview's throughput chart and the failed runs of the last day.
        builder.HasIndex(r => new { r.Status, r.CompletedAt }).HasFilter("\"CompletedAt\" IS NOT NULL");
    }
}
