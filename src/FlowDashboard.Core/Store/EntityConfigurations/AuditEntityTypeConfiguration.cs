using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class AuditEntityTypeConfiguration : IEntityTypeConfiguration<AuditEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntity> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(50);
        builder.Property(a => a.RunId).HasMaxLength(100);
        builder.Property(a => a.Target).HasMaxLength(250);

        // No foreign key to runs: the audit outlives a deleted run, which is itself an audited action.
        builder.HasIndex(a => new { a.RunId, a.At });
        builder.HasIndex(a => a.At);
    }
}
