using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlowDashboard.Console.Api;

/// <summary>The HTTP API under <c>{prefix}/api</c>: every error a ProblemDetails, every unknown path a 404.</summary>
internal static class FlowDashboardApi
{
    public static RouteGroupBuilder MapFlowDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithGroupName(ConsoleMarker.OpenApiDocument);
        api.AddEndpointFilter(ProblemMapping.MapErrorsAsync);
        api.MapRunEndpoints();
        api.MapOperationEndpoints();
        api.MapScheduleEndpoints();
        api.Map("/{**path}", (string? path) => ProblemMapping.NotFound($"There is no API endpoint at '{path}'."));
        return api;
    }
}
