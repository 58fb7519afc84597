using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Browser.Tests.Infrastructure;

/// <summary>
/// The standalone host (<c>Program</c>) with the example workflows on a real Kestrel port, on a SQLite file in a temp
/// folder (or, with <c>FLOWDASHBOARD_TEST_STORE=postgresql</c>, a database of its own in <c>./test.sh</c>'s private
/// PostgreSQL cluster), for a real Chromium to drive. Payments never fail here, so only the tests' own failures show.
/// </summary>
public sealed class ConsoleHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public ConsoleHost()
    {
        Directory.CreateDirectory(Folder);
        UseKestrel(0);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flowdashboard-browser-" + Guid.NewGuid().ToString("N"));

    public HttpClient Http { get; private set; } = null!;

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
        await TestStore.DropAsync(Folder);
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
        builder.UseSetting("ConnectionStrings:Flows", TestStore.ConnectionString(Folder));
        builder.UseSetting("Examples:OutboxPath", Path.Combine(Folder, "outbox"));
        builder.UseSetting("Examples:ImagesPath", Path.Combine(Folder, "images"));
        builder.UseSetting("Examples:LabelsPath", Path.Combine(Folder, "labels"));
        builder.UseSetting("Examples:PaymentFailureRate", "0");
        builder.UseSetting("FlowDashboard:SchedulePollingInterval", "00:00:00.2");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
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
