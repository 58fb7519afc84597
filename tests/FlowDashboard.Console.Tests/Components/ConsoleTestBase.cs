using Bunit;
using Bunit.Rendering;
using Bunit.TestDoubles;
using FlowDashboard.Console.Tests.Components.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace FlowDashboard.Console.Tests.Components;

/// <summary>
/// The base of every component test: owns the bUnit context with the console's services (one per test, as
/// xunit makes a class instance per test) and disposes it asynchronously, as MudBlazor's services require.
/// </summary>
public abstract class ConsoleTestBase : IAsyncDisposable
{
    /// <summary>A fixed "now": every time a test draws is relative to it.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    // bUnit's waits give up after 1 s by default: too little for a loaded machine, and a wait that holds returns at once.
    static ConsoleTestBase() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected ConsoleTestBase()
    {
        Schedules = new FakeScheduleService(Queries, Time);
        Authorization = Context.AddConsoleTestServices(Queries, Operations, Schedules, Time);
        Authorization.SetAuthorized("ada");
    }

    protected BunitContext Context { get; } = new();

    protected FakeRunQueryService Queries { get; } = new();

    protected FakeOperationsService Operations { get; } = new();

    protected FakeScheduleService Schedules { get; }

    protected FakeTimeProvider Time { get; } = new(Now);

    protected BunitAuthorizationContext Authorization { get; }

    protected NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    /// <summary>
    /// Renders <typeparamref name="T"/> after a <see cref="MudPopoverProvider"/> in one fragment, so both share a
    /// service scope; what pops up (a select's list, a menu) is drawn in the provider, so query the result for it.
    /// </summary>
    /// <param name="parameters">The component's parameters by name.</param>
    protected IRenderedComponent<ContainerFragment> RenderWithPopovers<T>(IReadOnlyDictionary<string, object?>? parameters = null)
        where T : IComponent =>
        Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<T>(1);
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            {
                builder.AddAttribute(2, name, value);
            }

            builder.CloseComponent();
        });

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
