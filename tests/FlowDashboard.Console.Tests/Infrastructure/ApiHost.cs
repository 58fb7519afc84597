using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Console.Tests.Infrastructure;

/// <summary>
/// A real Kestrel host on a loopback port with a real store (a SQLite file, or a PostgreSQL database: see
/// <see cref="TestStore"/>) and Hangfire server, mounting
/// FlowDashboard at /flows, with small workflows the API tests drive.
/// </summary>
public class ApiHost : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "flowdashboard-api-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;

    private readonly ConcurrentDictionary<string, int> greetExecutions = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, bool> declined = new(StringComparer.Ordinal);

    /// <summary>How often the greet step has run for <paramref name="name"/>, across all runs.</summary>
    public int GreetExecutionsOf(string name) => greetExecutions.GetValueOrDefault(name);

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The host's folder, which names its store for tests that look at it directly (<see cref="TestStore.Connect"/>).</summary>
    public string Folder => folder;

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddFlowDashboard(o =>
            {
                TestStore.Use(o, folder);
                o.SchedulePollingInterval = TimeSpan.FromMilliseconds(200);
                Configure(o);
            })
            .AddWorkflow<GreetInput, string>("greet", async ctx =>
            {
                var text = await ctx.RunAsync("compose", _ =>
                {
                    greetExecutions.AddOrUpdate(ctx.Input.Name, 1, (_, count) => count + 1);
                    return Task.FromResult($"Hello, {ctx.Input.Name}!");
                });
                return text;
            })
            .AddWorkflow<GreetInput>("nap", async ctx =>
            {
                await ctx.SleepAsync("nap", TimeSpan.FromHours(1));
                await ctx.RunAsync("wake", _ => Task.CompletedTask);
            })
            .AddWorkflow<GreetInput, string>("charge", ctx => ctx.RunAsync(
                "charge-card",
                _ => declined.ContainsKey(ctx.Input.Name)
                    ? throw new InvalidOperationException($"The card of {ctx.Input.Name} was declined.")
                    : Task.FromResult($"Charged {ctx.Input.Name}"),
                new StepOptions { Retry = RetryPolicy.None }))
            .AddWorkflow<GreetInput, string>("approve", async ctx =>
            {
                var approval = await ctx.WaitForEventAsync<string>("wait", $"approve-{ctx.Input.Name}", TimeSpan.FromHours(1));
                return approval.Payload ?? "timed out";
            })
            .AddWorkflow<ShipInput, string>("ship", async ctx =>
            {
                var approval = await ctx.WaitForEventAsync<Approval>("approval", $"ship-{ctx.Input.OrderId}", TimeSpan.FromHours(1));
                return await ctx.RunAsync("record", _ => Task.FromResult(approval.Payload is { Approved: true } a ? $"approved by {a.By}" : "rejected"));
            });
        app = builder.Build();
        app.MapFlowDashboard("/flows");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Settings a derived host changes.</summary>
    protected virtual void Configure(FlowDashboardOptions options)
    {
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (app is not null) await app.DisposeAsync();
        await TestStore.DropAsync(folder);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>From now on the "charge" workflow's only step fails, without retries, for runs whose input has this name.</summary>
    public void Decline(string name) => declined[name] = true;

    /// <summary>The "charge" workflow's step succeeds again for this name.</summary>
    public void Accept(string name) => declined.TryRemove(name, out _);

    /// <summary>Polls the run over the API until <paramref name="done"/> holds; fails with the last body.</summary>
    public Task<JsonElement> WaitForRunAsync(string runId, Func<JsonElement, bool> done, TimeSpan? timeout = null) =>
        WaitForJsonAsync($"/flows/api/runs/{runId}", done, timeout);

    /// <summary>Polls <paramref name="path"/> until its JSON satisfies <paramref name="done"/>; fails with the last body.</summary>
    /// <param name="path">What to GET.</param>
    /// <param name="done">The condition.</param>
    /// <param name="timeout">How long to wait; 15 s by default.</param>
    /// <param name="seen">Called with every body read, the last one included.</param>
    public async Task<JsonElement> WaitForJsonAsync(string path, Func<JsonElement, bool> done, TimeSpan? timeout = null, Action<JsonElement>? seen = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await Http.GetFromJsonAsync<JsonElement>(path);
            seen?.Invoke(last);
            if (done(last)) return last;
            await Task.Delay(50);
        }

        throw new TimeoutException($"{path} did not reach the expected state: {last}");
    }

    /// <summary>The input of every test workflow.</summary>
    /// <param name="Name">Who to greet.</param>
    /// <param name="Times">How often; bound strictly, so a string here is a 400.</param>
    public sealed record GreetInput(string Name, int Times = 1);

    /// <summary>How fast an order ships: bound by name only.</summary>
    public enum Speed
    {
        Normal,
        Express,
    }

    /// <summary>The input of the "ship" workflow: an enum and a validated range.</summary>
    public sealed record ShipInput(string OrderId, [property: System.ComponentModel.DataAnnotations.Range(1, 1000)] int Quantity, Speed Speed = Speed.Normal);

    /// <summary>What the "ship" workflow's wait expects: a notify must fit it.</summary>
    public sealed record Approval(bool Approved, string By);
}
