using FlowDashboard;
using FlowDashboard.Console;
using FlowDashboard.Console.Api;
using FlowDashboard.Console.Assets;
using FlowDashboard.Console.Components;
using FlowDashboard.Console.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts FlowDashboard's console and HTTP API in a host.</summary>
public static class FlowDashboardApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the console at <paramref name="prefix"/> and the HTTP API at <c>{prefix}/api</c>, in a branch of
    /// its own so that the host's routes (even a fallback) and the console never take each other's requests.
    /// Access follows <see cref="FlowDashboardOptions.ViewPolicy"/>; without one, only local requests are served.
    /// </summary>
    /// <param name="app">The host's application (call after the host's own authentication middleware).</param>
    /// <param name="prefix">Where FlowDashboard lives, such as <c>/flows</c>.</param>
    /// <exception cref="InvalidOperationException"><c>AddFlowDashboard</c> was not called.</exception>
    public static IApplicationBuilder MapFlowDashboard(this IApplicationBuilder app, string prefix = "/flows")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (app.ApplicationServices.GetService<ConsoleMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapFlowDashboard needs FlowDashboard's services: call builder.Services.AddFlowDashboard(o => o.UseSqlite(...)) before building the app.");
        }

        var options = app.ApplicationServices.GetRequiredService<IOptions<FlowDashboardOptions>>().Value;
        var path = "/" + prefix.Trim('/');
        app.ApplicationServices.GetRequiredService<ConsoleMarker>().Prefix = path;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("FlowDashboard");
        Log(logger, path, options, ForwardedHeadersEnabled(app.ApplicationServices));

        // The console's scripts and styles are served from the host's static web assets manifest, which only a
        // project on the Web SDK has; elsewhere the API still works and the log says why the pages cannot.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().ApplicationName}.staticwebassets.endpoints.json");
        var hasAssets = File.Exists(manifest);
        if (!hasAssets)
        {
            logger.LogWarning("FlowDashboard found no static web assets manifest at {Manifest}: the API is served, the console's pages lack their scripts. Build the host with Microsoft.NET.Sdk.Web", manifest);
        }

        var compressedAssets = hasAssets
            ? CompressedFingerprintedAssets.Read(manifest, keepCaching: app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
            : null;

        app.Map(path, branch =>
        {
            // The host's routing ran first and may have chosen its own endpoint (a fallback route): forget it.
            branch.Use((context, next) =>
            {
                context.SetEndpoint(null);
                return next(context);
            });

            // Every error answer under /api is a ProblemDetails, also those the framework gives with no body.
            branch.UseWhen(
                context => context.Request.Path.StartsWithSegments("/api"),
                api => api.UseStatusCodePages(pages => ProblemMapping.ForStatus(pages.HttpContext.Response.StatusCode, pages.HttpContext.Request.Path).ExecuteAsync(pages.HttpContext)));
            // An unknown page under the prefix answers 404 with the console's own page: the request runs again as
            // /not-found, whose document starts the circuit, and the router shows its not-found page for the address.
            // Only a page's GET: the circuit's, the assets' and the API's answers stay as they are.
            branch.UseWhen(
                context => HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api")
                    && !context.Request.Path.StartsWithSegments("/_blazor") && !context.Request.Path.StartsWithSegments("/_framework")
                    && !context.Request.Path.StartsWithSegments("/_content"),
                pages => pages.UseStatusCodePagesWithReExecute("/not-found", null, true));
            if (options.ViewPolicy is null) branch.UseMiddleware<LocalRequestsOnlyMiddleware>();
            branch.UseMiddleware<SameOriginMiddleware>();

            // The OpenAPI document lives at {prefix}/api/openapi.json; ASP.NET Core maps documents by name, and
            // names no other document of the host's here.
            branch.Use((context, next) =>
            {
                if (context.Request.Path == "/api/openapi.json") context.Request.Path = $"/api/openapi/{ConsoleMarker.OpenApiDocument}.json";
                else if (context.Request.Path.StartsWithSegments("/api/openapi")) return ProblemMapping.NotFound($"The OpenAPI document is at {path}/api/openapi.json.").ExecuteAsync(context);
                return next(context);
            });
            if (compressedAssets is not null) branch.Use(compressedAssets.InvokeAsync);
            branch.UseRouting();
            branch.UseAuthorization();
            branch.UseAntiforgery();
            branch.UseEndpoints(endpoints =>
            {
                var api = endpoints.MapFlowDashboardApi();
                var document = endpoints.MapOpenApi("/api/openapi/{documentName}.json");
                if (hasAssets) endpoints.MapStaticAssets();
                // With the assets' manifest, the pages name each script and stylesheet by a fingerprinted URL, served
                // compressed and cached for a year: a visit after the first loads none of them again.
                var console = endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
                if (hasAssets) console.WithStaticAssets();
                if (options.ViewPolicy is { } policy)
                {
                    api.RequireAuthorization(policy);
                    document.RequireAuthorization(policy);
                    console.RequireAuthorization(policy);
                }
            });
        });
        return app;
    }

    /// <summary>Whether the host rewrites client addresses from a proxy's headers (ASPNETCORE_FORWARDEDHEADERS_ENABLED, or UseForwardedHeaders configured).</summary>
    private static bool ForwardedHeadersEnabled(IServiceProvider services) =>
        string.Equals(services.GetRequiredService<IConfiguration>()["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
        || services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders != ForwardedHeaders.None;

    private static void Log(ILogger logger, string path, FlowDashboardOptions options, bool forwardedHeaders)
    {
        if (options.ViewPolicy is null)
        {
            logger.LogWarning(
                "FlowDashboard is mounted at {Prefix} with no view policy: only requests from this machine are served. Set FlowDashboard:ViewPolicy to open it to others", path);
            if (forwardedHeaders)
            {
                logger.LogWarning(
                    "Forwarded headers are enabled and FlowDashboard at {Prefix} has no view policy: behind a proxy every client looks local, so \"local requests only\" " +
                    "is no security boundary there. FlowDashboard refuses requests that carry forwarding headers; set FlowDashboard:ViewPolicy to serve them", path);
            }
        }
        else
        {
            logger.LogInformation(
                "FlowDashboard is mounted at {Prefix}: viewing requires policy {ViewPolicy}, operating {OperatePolicy}{ReadOnly}",
                path, options.ViewPolicy, options.OperatePolicy ?? "(the view policy alone)", options.ReadOnly ? "; read-only" : "");
        }
    }
}
