using Bunit;
using Bunit.TestDoubles;
using FlowDashboard.Console.Tests.Components.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Console.Tests.Components;

/// <summary>
/// The base of every component test: owns the bUnit context with the console's services (one per test, as
/// xunit makes a class instance per test) and disposes it asynchronously, as MudBlazor's services require.
/// </summary>
public abstract class ConsoleTestBase : IAsyncDisposable
{
    /// <summary>A fixed "now": every time a test draws is relative to it.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    protected ConsoleTestBase()
    {
        Authorization = Context.AddConsoleTestServices(Queries, Operations, Time);
        Authorization.SetAuthorized("ada");
    }

    protected BunitContext Context { get; } = new();

    protected FakeRunQueryService Queries { get; } = new();

    protected FakeOperationsService Operations { get; } = new();

    protected FakeTimeProvider Time { get; } = new(Now);

    protected BunitAuthorizationContext Authorization { get; }

    protected NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
