using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class PendingEventEntityTypeConfiguration : IEntityTypeConfiguration<PendingEventEntity>
{
    public void Configure(EntityTypeBuilder<PendingEventEntity> builder)
    {
        builder.ToTable("pending_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.RunId).HasMaxLength(100);
        builder.Property(e => e.EventId).HasMaxLength(500);
        builder.HasIndex(e => new { e.RunId, e.EventId });
    }
}
