using Bunit;
using Bunit.TestDoubles;
using FlowDashboard.Console.Tests.Components.Fakes;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace FlowDashboard.Console.Tests.Components;

/// <summary>The services every console component needs, with fakes where the real ones would need a store.</summary>
public static class ConsoleTestServices
{
    /// <summary>
    /// Registers loose JS interop (MudBlazor calls JavaScript everywhere; unplanned calls return defaults),
    /// MudBlazor's services, the fakes, the console's own scoped services and bUnit's authorization.
    /// </summary>
    /// <returns>bUnit's authorization, to sign a user in or out.</returns>
    public static BunitAuthorizationContext AddConsoleTestServices(
        this BunitContext context, FakeRunQueryService queries, FakeOperationsService operations, FakeScheduleService schedules, TimeProvider time)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        context.Services.AddSingleton<IRunQueryService>(queries);
        context.Services.AddSingleton<IOperationsService>(operations);
        context.Services.AddSingleton<IScheduleService>(schedules);
        context.Services.AddSingleton(time);
        context.Services.AddSingleton(new RunChangeFeed());
        context.Services.AddSingleton(Options.Create(new FlowDashboardOptions()));
        context.Services.AddScoped<ConsolePreferences>();
        context.Services.AddScoped<ConsoleOperator>();
        return context.AddAuthorization();
    }
}
