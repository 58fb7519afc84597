using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class RateWindowEntityTypeConfiguration : IEntityTypeConfiguration<RateWindowEntity>
{
    public void Configure(EntityTypeBuilder<RateWindowEntity> builder)
    {
        builder.ToTable("rate_windows");
        builder.HasKey(w => new { w.Workflow, w.Key });
        builder.Property(w => w.Workflow).HasMaxLength(200);
        builder.Property(w => w.Key).HasMaxLength(200);
    }
}
