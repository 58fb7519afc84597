using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FlowDashboard.Migrations.PostgreSql;

/// <summary>Lets <c>dotnet ef</c> build the model without a host: <c>dotnet ef migrations add Name --project migrations/FlowDashboard.Migrations.PostgreSql</c>.</summary>
public sealed class DesignTimeFlowDbContextFactory : IDesignTimeDbContextFactory<FlowDbContext>
{
    /// <inheritdoc />
    public FlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FlowDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=flowdashboard_design_time", npgsql => npgsql.MigrationsAssembly(typeof(DesignTimeFlowDbContextFactory).Assembly.GetName().Name))
            .Options);
}
