using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class ScheduleEntityTypeConfiguration : IEntityTypeConfiguration<ScheduleEntity>
{
    public void Configure(EntityTypeBuilder<ScheduleEntity> builder)
    {
        builder.ToTable("schedules");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(60);
        builder.Property(s => s.Workflow).HasMaxLength(200);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
        builder.Property(s => s.Misfire).HasConversion<string>().HasMaxLength(20);
    }
}
