using FlowDashboard;
using FlowDashboard.Console;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds FlowDashboard with its console and HTTP API to an ASP.NET Core host.</summary>
public static class FlowDashboardConsoleServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine (as <c>AddFlowDashboardEngine</c> does) and the console's services: Blazor Server,
    /// MudBlazor, authorization. Chain <c>AddWorkflow</c> on the result, then call <c>app.MapFlowDashboard("/flows")</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the store (<c>o.UseSqlite("Data Source=flows.db")</c>), the policies and other options.</param>
    public static FlowDashboardBuilder AddFlowDashboard(this IServiceCollection services, Action<FlowDashboardOptions> configure)
    {
        var builder = services.AddFlowDashboardEngine(configure);
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Outcomes show bottom right: at the top they covered a run's action buttons.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddAuthorization();
        services.TryAddScoped<ConsolePreferences>();
        services.TryAddScoped<ConsoleOperator>();
        services.TryAddSingleton<ConsoleMarker>();
        services.AddOpenApi(ConsoleMarker.OpenApiDocument, openApi =>
        {
            openApi.ShouldInclude = description => description.GroupName == ConsoleMarker.OpenApiDocument;
            openApi.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "FlowDashboard API";
                document.Info.Description = "Trigger, inspect and operate durable workflow runs and schedules.";
                var prefix = context.ApplicationServices.GetRequiredService<ConsoleMarker>().Prefix;
                document.Servers = [new Microsoft.OpenApi.OpenApiServer { Url = prefix }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }
}
