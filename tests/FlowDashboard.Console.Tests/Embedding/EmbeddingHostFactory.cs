using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Console.Tests.Embedding;

/// <summary>
/// The embedding host (tests/FlowDashboard.EmbeddingHost) on a real Kestrel port with a SQLite file of its own,
/// started once for the tests of a class.
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

    /// <summary>The SQLite file the host was configured with.</summary>
    public string DatabasePath => Path.Combine(folder, "flows.db");

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
        builder.UseSetting("ConnectionStrings:Flows", $"Data Source={DatabasePath}");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
