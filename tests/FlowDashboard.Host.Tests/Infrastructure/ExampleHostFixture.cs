using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FlowDashboard.Host.Tests.Infrastructure;

/// <summary>One real host process for the example tests, on files in a temp folder, with short delays.</summary>
public sealed class ExampleHostFixture : IAsyncLifetime
{
    private HostProcess? host;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flowdashboard-examples-" + Guid.NewGuid().ToString("N"));

    public string Outbox => Path.Combine(Folder, "outbox");

    public HttpClient Http { get; private set; } = null!;

    public Uri Address => host!.Address;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        host = await HostProcess.StartAsync(HostProcess.SettingsFor(Folder, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(60));
        Http = new HttpClient { BaseAddress = host.Address };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (host is not null) await host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    public async Task<string> TriggerAsync(string workflow, object input)
    {
        var response = await Http.PostAsJsonAsync($"/flows/api/workflows/{workflow}/runs", input);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
    }

    /// <summary>Polls the run until it is final; fails with the last body and the host's output.</summary>
    public async Task<JsonElement> WaitForFinalAsync(string runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await Http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}");
            if (run.GetProperty("status").GetString() is "Completed" or "Failed" or "Cancelled") return run;
            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {runId} did not finish: {run}\n{host!.Output}");
    }
}
