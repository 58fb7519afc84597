using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class PausedWorkflowEntityTypeConfiguration : IEntityTypeConfiguration<PausedWorkflowEntity>
{
    public void Configure(EntityTypeBuilder<PausedWorkflowEntity> builder)
    {
        builder.ToTable("paused_workflows");
        builder.HasKey(p => new { p.Workflow, p.Key });
        builder.Property(p => p.Workflow).HasMaxLength(200);
        builder.Property(p => p.Key).HasMaxLength(200);
        builder.Property(p => p.PausedBy).HasMaxLength(200);
    }
}
