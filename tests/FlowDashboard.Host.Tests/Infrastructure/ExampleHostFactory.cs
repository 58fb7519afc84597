using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Host.Tests.Infrastructure;

/// <summary>
/// The real host (<c>Program</c>) in-process on a real Kestrel port, so the image example can download
/// from the host itself. Every file lives in a temp folder that is also the content root; the example
/// folders are given as relative paths, so the tests also show they resolve against it.
/// </summary>
public class ExampleHostFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly TestLogs logs = new();

    public ExampleHostFactory()
    {
        Directory.CreateDirectory(Folder);
        UseKestrel(0);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flowdashboard-examples-" + Guid.NewGuid().ToString("N"));

    public string Outbox => Path.Combine(Folder, "outbox");

    public string Labels => Path.Combine(Folder, "labels");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The real address Kestrel listens on.</summary>
    public Uri Address => ClientOptions.BaseAddress;

    /// <summary>The fake payment gateway's failure rate; none by default, so only the tests about retries see retries.</summary>
    protected virtual double PaymentFailureRate => 0;

    protected virtual int? PaymentRandomSeed => null;

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
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
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
        builder.UseContentRoot(Folder);
        builder.UseSetting("ConnectionStrings:Flows", $"Data Source={Path.Combine(Folder, "flows.db")}");
        builder.UseSetting("Examples:OutboxPath", "outbox");
        builder.UseSetting("Examples:ImagesPath", "images");
        builder.UseSetting("Examples:LabelsPath", "labels");
        builder.UseSetting("Examples:FollowUpDelay", "00:00:01");
        builder.UseSetting("Examples:PaymentFailureRate", PaymentFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (PaymentRandomSeed is { } seed) builder.UseSetting("Examples:PaymentRandomSeed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FlowDashboard:SchedulePollingInterval", "00:00:00.2");
        builder.UseSetting("FlowDashboard:WorkerCount", "4");
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information));
    }

    /// <summary>Triggers <paramref name="workflow"/> over the HTTP API and returns the run id.</summary>
    public async Task<string> TriggerAsync(string workflow, object input, string? runId = null)
    {
        var query = runId is null ? "" : $"?runId={Uri.EscapeDataString(runId)}";
        using var response = await Http.PostAsJsonAsync($"/flows/api/workflows/{workflow}/runs{query}", input, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Trigger of {workflow}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;
    }

    /// <summary>Posts a raw JSON body to the trigger endpoint, for tests of bad input.</summary>
    public Task<HttpResponseMessage> PostInputAsync(string workflow, string json) =>
        Http.PostAsync($"/flows/api/workflows/{workflow}/runs", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    /// <summary>Polls the run until it is final; on timeout fails with its last state and the host's log.</summary>
    public async Task<JsonElement> WaitForFinalAsync(string runId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", TestContext.Current.CancellationToken);
            if (run.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled") return run;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Run {runId} did not finish in time: {run}\nHost log:\n{logs}");
    }

    /// <summary>Polls the run until its status is <paramref name="status"/>.</summary>
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

        throw new TimeoutException($"Run {runId} did not become {status}: {run}\nHost log:\n{logs}");
    }

    /// <summary>The stock of <paramref name="sku"/>, read through <c>GET /examples/inventory</c>.</summary>
    public async Task<long> StockAsync(string sku)
    {
        var items = await Http.GetFromJsonAsync<JsonElement>("/examples/inventory", TestContext.Current.CancellationToken);
        return items.EnumerateArray().Single(i => i.GetProperty("sku").GetString() == sku).GetProperty("quantity").GetInt64();
    }

    /// <summary>The outbox's messages sent by <paramref name="runId"/>, as text.</summary>
    public List<string> EmailsOf(string runId) =>
        !Directory.Exists(Outbox)
            ? []
            : Directory.EnumerateFiles(Outbox, "*.eml").Select(File.ReadAllText)
                .Where(e => e.Contains($"\r\nX-Flow-Run: {runId}\r\n", StringComparison.Ordinal)).ToList();
}
