using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

/// <summary>Maps <see cref="RateStartEntity"/> to <c>rate_starts</c>.</summary>
internal sealed class RateStartEntityTypeConfiguration : IEntityTypeConfiguration<RateStartEntity>
{
    public void Configure(EntityTypeBuilder<RateStartEntity> builder)
    {
        builder.ToTable("rate_starts");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Workflow).HasMaxLength(200);
        builder.Property(s => s.Key).HasMaxLength(200);

        // A limit looks at one workflow's (and key's) starts of the last period, oldest first.
        builder.HasIndex(s => new { s.Workflow, s.Key, s.StartedAt });
    }
}
