using System.Net;
using Microsoft.AspNetCore.Http;

namespace FlowDashboard.Console.Security;

/// <summary>
/// The default when the host names no view policy: only requests from this machine reach the console, its
/// assets, its circuit and the API, as with Hangfire's dashboard. Others get a 403 ProblemDetails. "From this
/// machine" means three things: the connection comes from a local address; the request names this machine
/// (<c>localhost</c> or an address of it) as its Host, so a page whose own DNS name was pointed at 127.0.0.1 (DNS
/// rebinding) is refused; and it did not come through a proxy, behind which every client looks local.
/// </summary>
internal sealed class LocalRequestsOnlyMiddleware(RequestDelegate next)
{
    private const string SetAPolicy = "until the host names a view policy (FlowDashboard:ViewPolicy)";

    private static readonly string[] ProxyHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-For"];

    public Task InvokeAsync(HttpContext context) =>
        Refusal(context) is { } why
            ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: why).ExecuteAsync(context)
            : next(context);

    /// <summary>Why the request is not a local one, or null when it is.</summary>
    internal static string? Refusal(HttpContext context)
    {
        if (!IsLocal(context.Connection)) return $"FlowDashboard serves only requests from this machine {SetAPolicy}.";
        if (ProxyHeaders.FirstOrDefault(h => context.Request.Headers.ContainsKey(h)) is { } header)
        {
            return $"This request came through a proxy (it carries {header}), and behind a proxy every client looks local: FlowDashboard serves it only {SetAPolicy}.";
        }

        var host = context.Request.Host.Host;
        return host.Length == 0 || NamesThisMachine(host, context.Connection)
            ? null
            : $"The request is addressed to '{host}', which is not a name of this machine: FlowDashboard serves requests to localhost or a loopback address only {SetAPolicy}.";
    }

    internal static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } remote
        || IPAddress.IsLoopback(remote)
        || remote.Equals(connection.LocalIpAddress);

    private static bool NamesThisMachine(string host, ConnectionInfo connection)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && (IPAddress.IsLoopback(address) || address.Equals(connection.LocalIpAddress));
    }
}
