using FlowDashboard.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class RunTagEntityTypeConfiguration : IEntityTypeConfiguration<RunTagEntity>
{
    public void Configure(EntityTypeBuilder<RunTagEntity> builder)
    {
        builder.ToTable("run_tags");
        builder.HasKey(t => new { t.RunId, t.Key });
        builder.Property(t => t.RunId).HasMaxLength(100);
        builder.Property(t => t.Key).HasMaxLength(RunTag.MaxKeyLength);
        builder.Property(t => t.Value).HasMaxLength(RunTag.MaxValueLength);
        builder.HasOne<RunEntity>().WithMany(r => r.Tags).HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);

        // The runs list filtered by a tag pages by keyset (CreatedAt, RunId) in this index, either way.
        builder.HasIndex(t => new { t.Key, t.Value, t.CreatedAt, t.RunId });
    }
}
