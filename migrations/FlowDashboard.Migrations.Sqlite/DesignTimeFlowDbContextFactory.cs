using FlowDashboard.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FlowDashboard.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model without a host: <c>dotnet ef migrations add Name --project migrations/FlowDashboard.Migrations.Sqlite</c>.</summary>
public sealed class DesignTimeFlowDbContextFactory : IDesignTimeDbContextFactory<FlowDbContext>
{
    /// <inheritdoc />
    public FlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FlowDbContext>()
            .UseSqlite("Data Source=design-time.db", sqlite => sqlite.MigrationsAssembly(typeof(DesignTimeFlowDbContextFactory).Assembly.GetName().Name))
            .Options);
}
