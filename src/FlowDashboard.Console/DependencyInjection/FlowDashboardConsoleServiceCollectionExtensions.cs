using FlowDashboard;
using FlowDashboard.Console;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddMudServices();
        services.AddAuthorization();
        services.TryAddScoped<ConsolePreferences>();
        services.TryAddScoped<ConsoleOperator>();
        services.TryAddSingleton<ConsoleMarker>();
        return builder;
    }
}
