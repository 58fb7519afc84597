using System.Net;
using Microsoft.AspNetCore.Http;

namespace FlowDashboard.Console.Security;

/// <summary>The default when the host configures no authorization: only requests from this machine get in, as with Hangfire's dashboard.</summary>
internal static class LocalRequestsOnly
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsLocal(context.HttpContext.Connection)
            ? await next(context)
            : Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: "FlowDashboard accepts only local requests until the host configures authorization.");

    private static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } remote
        || IPAddress.IsLoopback(remote)
        || remote.Equals(connection.LocalIpAddress);
}
