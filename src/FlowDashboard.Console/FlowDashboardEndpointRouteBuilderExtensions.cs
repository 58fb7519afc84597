using FlowDashboard.Console.Api;
using FlowDashboard.Console.Security;
using FlowDashboard.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts FlowDashboard in a host.</summary>
public static class FlowDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the HTTP API under <c>{prefix}/api</c>. Chain the host's own authorization on the result;
    /// without it only local requests are served.
    /// </summary>
    /// <param name="endpoints">The host's routes.</param>
    /// <param name="prefix">Where FlowDashboard lives, such as <c>/flows</c>.</param>
    /// <exception cref="InvalidOperationException"><c>AddFlowDashboard</c> was not called.</exception>
    public static RouteGroupBuilder MapFlowDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/flows")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<WorkflowRegistry>() is null)
        {
            throw new InvalidOperationException(
                "MapFlowDashboard needs FlowDashboard's services: call builder.Services.AddFlowDashboard(o => o.UseSqlite(...)) before building the app.");
        }

        endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("FlowDashboard")
            .LogInformation("FlowDashboard is mounted at {Prefix}; with no authorization configured it serves local requests only", prefix);

        var group = endpoints.MapGroup(prefix.TrimEnd('/'));
        group.AddEndpointFilter(LocalRequestsOnly.FilterAsync);
        var api = group.MapGroup("/api");
        api.AddEndpointFilter(ProblemMapping.MapErrorsAsync);
        api.MapRunEndpoints();
        api.Map("/{**path}", (string? path) => ProblemMapping.NotFound($"There is no API endpoint at '{path}'."));
        return group;
    }
}
