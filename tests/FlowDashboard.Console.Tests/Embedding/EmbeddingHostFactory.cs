using FlowDashboard.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Console.Tests.Embedding;

/// <summary>
/// The embedding host (tests/FlowDashboard.EmbeddingHost) on a real Kestrel port with a store of its own (a SQLite
/// file, or a PostgreSQL database: see <see cref="TestStore"/>), started once for the tests of a class.
/// </summary>
public sealed class EmbeddingHostFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private Uri? address;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-embedding-" + Guid.NewGuid().ToString("N"));

    public EmbeddingHostFactory()
    {
        Directory.CreateDirectory(folder);
        UseKestrel(0);
    }

    public ValueTask InitializeAsync()
    {
        StartServer();
        address = new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return ValueTask.CompletedTask;
    }

    /// <summary>The host's folder, which names the store it was configured with (<see cref="TestStore.Connect"/>).</summary>
    public string Folder => folder;

    /// <summary>A client of the real server that signs in as <paramref name="user"/> (none: anonymous) in <paramref name="role"/>.</summary>
    public HttpClient ClientFor(string? user, string? role = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = address ?? throw new InvalidOperationException("The server has not started.") });
        if (user is not null) client.DefaultRequestHeaders.Add("X-User", user);
        if (role is not null) client.DefaultRequestHeaders.Add("X-Role", role);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Flows", TestStore.ConnectionString(folder));
        if (TestStore.IsPostgreSql) builder.UseSetting("FlowDashboard:Store", "PostgreSql");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestStore.DropAsync(folder);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
