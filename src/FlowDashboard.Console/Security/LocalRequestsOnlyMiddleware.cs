using System.Net;
using Microsoft.AspNetCore.Http;

namespace FlowDashboard.Console.Security;

/// <summary>
/// The default when the host names no view policy: only requests from this machine reach the console, its
/// assets, its circuit and the API, as with Hangfire's dashboard. Others get a 403 ProblemDetails.
/// </summary>
internal sealed class LocalRequestsOnlyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        IsLocal(context.Connection)
            ? next(context)
            : Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden",
                    detail: "FlowDashboard serves only local requests until the host names a view policy (FlowDashboard:ViewPolicy).")
                .ExecuteAsync(context);

    internal static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } remote
        || IPAddress.IsLoopback(remote)
        || remote.Equals(connection.LocalIpAddress);
}
