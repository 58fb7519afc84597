using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class RunCountEntityTypeConfiguration : IEntityTypeConfiguration<RunCountEntity>
{
    public void Configure(EntityTypeBuilder<RunCountEntity> builder)
    {
        builder.ToTable("run_counts");
        builder.HasKey(c => new { c.Status, c.Shard });
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
    }
}
