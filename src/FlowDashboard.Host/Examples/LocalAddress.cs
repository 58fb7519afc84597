using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlowDashboard.Host.Examples;

/// <summary>The address this host listens on, so an example can call the host's own endpoints (no outside service is reachable here).</summary>
public sealed class LocalAddress(IServer server)
{
    /// <summary>An absolute URL of <paramref name="path"/> on this host, such as <c>http://127.0.0.1:5000/examples/...</c>.</summary>
    /// <param name="path">The path, starting with a slash.</param>
    public string Of(string path)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host is not listening yet.");

        // A wildcard binding is reached on loopback.
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        uri.Path = path;
        return uri.Uri.ToString();
    }
}
