using FlowDashboard.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FlowDashboard.Store.EntityConfigurations;

internal sealed class StepEntityTypeConfiguration : IEntityTypeConfiguration<StepEntity>
{
    public void Configure(EntityTypeBuilder<StepEntity> builder)
    {
        builder.ToTable("steps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(250);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Target).HasMaxLength(500);
        builder.HasMany(s => s.Attempts).WithOne().HasForeignKey(a => a.StepId).OnDelete(DeleteBehavior.Cascade);

        // Exactly-once recording rests on these: a step can be inserted once per run, at one position.
        builder.HasIndex(s => new { s.RunId, s.Name }).IsUnique();

        // Notify finds waiting steps by event id; a child's end finds its parent's step by the child's run id.
        builder.HasIndex(s => new { s.Target, s.Kind }).HasFilter($"\"Status\" = {SqlText.Literal(StepStatus.Waiting)}");
        // Failure-handler steps stand outside the body's sequence: a resumed run goes on at the positions after them.
        builder.HasIndex(s => new { s.RunId, s.Sequence }).IsUnique().HasFilter("\"Kind\" <> 'FailureHandler'");
    }
}
