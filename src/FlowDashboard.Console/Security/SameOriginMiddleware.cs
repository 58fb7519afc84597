using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Console.Security;

/// <summary>
/// Refuses a request that changes something (any method but GET, HEAD and OPTIONS) when a browser says it comes
/// from a page of another origin: a page elsewhere must not act through the console's API on behalf of whoever
/// opened it (a local user, a signed-in operator). A request without an <c>Origin</c> (curl, server code) comes
/// from no page and passes; origins listed in <see cref="FlowDashboardOptions.AllowedOrigins"/> pass too.
/// </summary>
internal sealed class SameOriginMiddleware(RequestDelegate next, IOptions<FlowDashboardOptions> options)
{
    private readonly HashSet<string> allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || origin.Length == 0 || IsOwn(origin, request) || allowed.Contains(origin))
        {
            return next(context);
        }

        return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"This request comes from a page of another origin ('{origin}'): FlowDashboard acts only on requests from its own pages. " +
                    "List the origin in FlowDashboard:AllowedOrigins to allow it.")
            .ExecuteAsync(context);
    }

    /// <summary>
    /// Whether <paramref name="origin"/> is where the request was sent: the same host and port. The scheme is not
    /// compared, because behind a proxy that ends TLS the request arrives as http while the page's origin is https.
    /// </summary>
    private static bool IsOwn(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || !request.Host.HasValue) return false;
        var samePort = request.Host.Port is { } port ? page.Port == port : page.IsDefaultPort;
        return samePort && page.DnsSafeHost.Equals(request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
    }
}
