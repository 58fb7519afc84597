using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class BulkOperationEntityTypeConfiguration : IEntityTypeConfiguration<BulkOperationEntity>
{
    public void Configure(EntityTypeBuilder<BulkOperationEntity> builder)
    {
        builder.ToTable("bulk_operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(32);
        builder.Property(o => o.Action).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Actor).HasMaxLength(200);
        builder.Property(o => o.CursorId).HasMaxLength(100);
        builder.Property(o => o.Owner).HasMaxLength(32);
        builder.HasIndex(o => o.Finished);
    }
}
