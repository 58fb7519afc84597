using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class RunEntityTypeConfiguration : IEntityTypeConfiguration<RunEntity>
{
    public void Configure(EntityTypeBuilder<RunEntity> builder)
    {
        builder.ToTable("runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(100);
        builder.Property(r => r.Workflow).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Source).HasMaxLength(200);
        builder.Property(r => r.LeaseOwner).HasMaxLength(64);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);

        // The reconciler's scan: runs with work left, by due time.
        builder.HasIndex(r => r.DueAt).HasFilter("\"DueAt\" IS NOT NULL");
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.Workflow, r.CreatedAt });
        builder.HasIndex(r => r.CreatedAt);
    }
}
