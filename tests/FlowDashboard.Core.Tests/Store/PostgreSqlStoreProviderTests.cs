using FlowDashboard.PostgreSql;
using Npgsql;

namespace FlowDashboard.Core.Tests.Store;

/// <summary>Hangfire's connections on PostgreSQL: a small pool of their own, unless the connection string sets one.</summary>
public sealed class PostgreSqlStoreProviderTests
{
    [Theory]
    [InlineData("Host=db;Database=flows", PostgreSqlStoreProvider.HangfirePoolSize)]
    [InlineData("Host=db;Database=flows;Maximum Pool Size=50", 50)]
    [InlineData("Host=db;Database=flows;MaxPoolSize=7", 7)]
    [InlineData("Host=db;Database=flows;maximum pool size=100", 100)]
    public void HangfireConnectionString_PoolSizeGivenOrNot_IsTheGivenOneOrTwenty(string connectionString, int expected)
    {
        var hangfire = new NpgsqlConnectionStringBuilder(new PostgreSqlStoreProvider(connectionString).HangfireConnectionString());

        Assert.Equal(expected, hangfire.MaxPoolSize);
        Assert.Equal("FlowDashboard Hangfire", hangfire.ApplicationName);
        Assert.Equal("flows", hangfire.Database);
    }
}
