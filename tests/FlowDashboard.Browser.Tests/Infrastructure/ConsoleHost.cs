using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Tests.Shared;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Browser.Tests.Infrastructure;

/// <summary>
/// The standalone host (<c>Program</c>) with the example workflows on a real Kestrel port, on a SQLite file in a temp
/// folder (or, with <c>FLOWDASHBOARD_TEST_STORE=postgresql</c>, a database of its own in <c>./test.sh</c>'s private
/// PostgreSQL cluster), for a real Chromium to drive. Payments never fail here, so only the tests' own failures show.
/// <see cref="SecondNodeOf"/> starts another node on the same PostgreSQL database.
/// </summary>
public sealed class ConsoleHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The node whose database this one shares; null when the database is this host's own.</summary>
    private readonly ConsoleHost? storeOwner;

    public ConsoleHost()
        : this(storeOwner: null)
    {
    }

    private ConsoleHost(ConsoleHost? storeOwner)
    {
        this.storeOwner = storeOwner;
        Directory.CreateDirectory(Folder);
        UseKestrel(0);
    }

    /// <summary>This host's own files (outbox, labels, images; on SQLite its store too).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flowdashboard-browser-" + Guid.NewGuid().ToString("N"));

    /// <summary>Where order-fulfillment's shipping labels land when this node executes the step, one file per order.</summary>
    public string LabelsFolder => Path.Combine(Folder, "labels");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The folder the database is named after: the owner's for a second node.</summary>
    private string StoreFolder => storeOwner?.Folder ?? Folder;

    /// <summary>
    /// A second node on <paramref name="owner"/>'s PostgreSQL database, with files of its own. Its Hangfire queue is
    /// its own, in memory (every node's is in the shared database otherwise): it executes only what is triggered or
    /// notified through it, so what goes through <paramref name="owner"/> executes there; the two share runs, leases
    /// and the change relay. Start it after the owner, dispose it before: the owner drops the database.
    /// </summary>
    public static ConsoleHost SecondNodeOf(ConsoleHost owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!TestStore.IsPostgreSql) throw new InvalidOperationException("A SQLite store is one process's: a second node needs FLOWDASHBOARD_TEST_STORE=postgresql.");
        return new ConsoleHost(owner);
    }

    /// <summary>The console's address, such as <c>http://127.0.0.1:41234/flows/</c>.</summary>
    public string ConsoleUrl => new Uri(ClientOptions.BaseAddress, "/flows/").ToString();

    public ValueTask InitializeAsync()
    {
        StartServer();
        Http = CreateClient();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (storeOwner is null) await TestStore.DropAsync(Folder);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a late writer: a leftover temp folder is not worth a failed run.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The host picks its store as a user's would: from configuration.
        if (TestStore.IsPostgreSql) builder.UseSetting("FlowDashboard:Store", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Flows", TestStore.ConnectionString(StoreFolder));
        builder.UseSetting("Examples:OutboxPath", Path.Combine(Folder, "outbox"));
        builder.UseSetting("Examples:ImagesPath", Path.Combine(Folder, "images"));
        builder.UseSetting("Examples:LabelsPath", LabelsFolder);
        builder.UseSetting("Examples:PaymentFailureRate", "0");
        builder.UseSetting("FlowDashboard:SchedulePollingInterval", "00:00:00.2");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        // Registered after the engine's TryAdd: the second node's workers never fetch a job the owner enqueued.
        if (storeOwner is not null) builder.ConfigureTestServices(services => services.AddSingleton<JobStorage>(_ => new InMemoryStorage()));
    }

    /// <summary>Starts an order over the HTTP API.</summary>
    public async Task OrderAsync(string orderId, string sku, int quantity)
    {
        using var response = await Http.PostAsJsonAsync(
            $"/flows/api/workflows/order-fulfillment/runs?runId={orderId}", new { orderId, sku, quantity }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Adds stock the example's own way: its restock endpoint.</summary>
    public async Task RestockAsync(string sku, int quantity)
    {
        using var response = await Http.PostAsync(
            $"/examples/inventory/{sku}/restock?quantity={quantity.ToString(CultureInfo.InvariantCulture)}", null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends an event over the HTTP API, as <c>curl</c> would; returns the runs it woke.</summary>
    public async Task<IReadOnlyList<string>> NotifyAsync(string eventId, object payload)
    {
        using var response = await Http.PostAsJsonAsync(
            $"/flows/api/events/{Uri.EscapeDataString(eventId)}", payload, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return [.. answer.GetProperty("woken").EnumerateArray().Select(run => run.GetString()!)];
    }

    /// <summary>Polls the run over the API until its status is <paramref name="status"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string runId, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
            if (run.GetProperty("status").GetString() == status) return run;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Run {runId} did not become {status}: {run}");
    }
}
