using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlowDashboard.Console.Tests.Infrastructure;
using FlowDashboard.Tests.Shared;

namespace FlowDashboard.Console.Tests.Embedding;

/// <summary>
/// FlowDashboard inside an existing host with its own routes, fallback and authentication, added with two lines:
/// the host keeps its routes, FlowDashboard's pages, assets, circuit and API answer under /flows behind the host's policies.
/// </summary>
public sealed class EmbeddingTests(EmbeddingHostFactory host) : IClassFixture<EmbeddingHostFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostHome_WithFlowDashboardMounted_StillAnswersTheHostsText()
    {
        using var client = host.ClientFor(user: null);

        var text = await client.GetStringAsync("/", Ct);

        Assert.Equal("host home", text);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/flowsx/runs")]
    [InlineData("/reports/flows")]
    public async Task UnknownPath_OutsideThePrefix_GoesToTheHostsFallback(string path)
    {
        using var client = host.ClientFor("ada");

        var text = await client.GetStringAsync(path, Ct);

        Assert.Equal("host fallback", text);
    }

    [Theory]
    [InlineData("/flows/")]
    [InlineData("/flows/runs")]
    [InlineData("/flows/api/runs")]
    [InlineData("/flows/api/workflows")]
    public async Task Get_AnonymousUser_IsChallengedNotServed(string path)
    {
        using var client = host.ClientFor(user: null);

        var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("FlowDashboard", body, StringComparison.Ordinal);
        Assert.DoesNotContain("host fallback", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_SignedInUser_GetsThePageWithItsBaseUnderThePrefix()
    {
        using var client = host.ClientFor("ada");

        var response = await client.GetAsync("/flows/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("""<base href="/flows/" />""", html, StringComparison.Ordinal);

        // Every script and stylesheet by its fingerprinted name (cached for a year once published), each served.
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"((?:_framework|_content)/[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Equal(7, assets.Count);
        foreach (var asset in assets)
        {
            Assert.Matches(@"\.[a-z0-9]{10}\.", asset);
            var served = await client.GetAsync("/flows/" + asset, Ct);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{asset}: {served.StatusCode}");
        }
    }

    [Fact]
    public async Task FingerprintedAssets_ClientAcceptingGzip_EachComesCompressedAndUnchanged()
    {
        using var client = host.ClientFor("ada");
        var html = await client.GetStringAsync("/flows/", Ct);
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"((?:_framework|_content)/[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        // MudBlazor's stylesheet among them: the SDK compresses a package's asset under its plain URL only.
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            var plain = await client.GetByteArrayAsync("/flows/" + asset, Ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/flows/" + asset);
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await client.SendAsync(request, Ct);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
            Assert.True(response.Content.Headers.ContentEncoding.SequenceEqual(["gzip"]), $"{asset} came as '{string.Join(',', response.Content.Headers.ContentEncoding)}', not gzip.");
            await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(Ct), System.IO.Compression.CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            await gzip.CopyToAsync(inflated, Ct);
            Assert.True(plain.AsSpan().SequenceEqual(inflated.ToArray()), $"{asset} decompressed is not the asset.");
        }
    }

    [Theory]
    [InlineData("/flows/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/flows/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/flows/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/flows/_content/FlowDashboard.Console/flowdashboard.css", "text/css")]
    [InlineData("/flows/_content/FlowDashboard.Console/flowdashboard.js", "text/javascript")]
    public async Task StaticAsset_SignedInUser_IsServedUnderThePrefix(string path, string mediaType)
    {
        using var client = host.ClientFor("ada");

        var response = await client.GetAsync(path, Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync(Ct)).Length > 100, $"{path} is nearly empty.");
    }

    [Fact]
    public async Task CircuitNegotiate_SignedInUser_Returns200WithAConnectionToken()
    {
        using var client = host.ClientFor("ada");

        var response = await client.PostAsync("/flows/_blazor/negotiate?negotiateVersion=1", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var negotiation = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(string.IsNullOrEmpty(negotiation.GetProperty("connectionToken").GetString()));
    }

    [Fact]
    public async Task CircuitNegotiate_AnonymousUser_IsRefused()
    {
        using var client = host.ClientFor(user: null);

        var response = await client.PostAsync("/flows/_blazor/negotiate?negotiateVersion=1", null, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_Viewer_ReadsButGets403ProblemForEveryOperatorAction()
    {
        using var operatorClient = host.ClientFor("olga", "ops");
        var runId = await TriggerAsync(operatorClient);
        using var viewer = host.ClientFor("victor");

        var list = await viewer.GetAsync("/flows/api/runs", Ct);
        var trigger = await viewer.PostAsync("/flows/api/workflows/ping/runs", Json("""{"name":"victor"}"""), Ct);
        var retry = await viewer.PostAsync($"/flows/api/runs/{runId}/steps/pong/retry", null, Ct);
        var cancel = await viewer.PostAsync($"/flows/api/runs/{runId}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await ApiAssert.ProblemAsync(trigger, HttpStatusCode.Forbidden, "flows-operate");
        await ApiAssert.ProblemAsync(retry, HttpStatusCode.Forbidden, "flows-operate");
        await ApiAssert.ProblemAsync(cancel, HttpStatusCode.Forbidden, "flows-operate");
    }

    [Fact]
    public async Task Api_OperatorOnAPageOfAnotherOrigin_Gets403ProblemAndStartsNothing()
    {
        using var client = host.ClientFor("olga", "ops");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/flows/api/workflows/ping/runs?runId=from-elsewhere") { Content = Json("""{"name":"csrf"}""") };
        request.Headers.Add("Origin", "https://evil.example");

        var response = await client.SendAsync(request, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden, "evil.example");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/flows/api/runs/from-elsewhere", Ct)).StatusCode);
    }

    [Fact]
    public async Task Api_Operator_Gets202AndTheRunCompletesInTheHostsStore()
    {
        using var client = host.ClientFor("olga", "ops");

        var runId = await TriggerAsync(client);

        var run = await WaitForStatusAsync(client, runId, "Completed");
        Assert.Equal("pong olga", run.GetProperty("output").GetString());
        await using var store = TestStore.Connect(host.Folder);
        await store.OpenAsync(TestContext.Current.CancellationToken);
        await using var find = store.CreateCommand();
        find.CommandText = $"SELECT COUNT(*) FROM runs WHERE \"Id\" = '{runId}'";
        Assert.Equal(1L, Convert.ToInt64(await find.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Api_Operator_Gets202ForCancel()
    {
        using var client = host.ClientFor("olga", "ops");
        var runId = await TriggerAsync(client, napSeconds: 3600);
        await WaitForStatusAsync(client, runId, "Sleeping");

        var response = await client.PostAsync($"/flows/api/runs/{runId}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForStatusAsync(client, runId, "Cancelled");
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string runId, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonElement run;
        do
        {
            run = await client.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", Ct);
            if (run.GetProperty("status").GetString() == status) return run;
            await Task.Delay(50, Ct);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Run {runId} did not become {status}: {run}");
    }

    private static async Task<string> TriggerAsync(HttpClient client, int napSeconds = 0)
    {
        var response = await client.PostAsync("/flows/api/workflows/ping/runs", Json(JsonSerializer.Serialize(new { name = "olga", napSeconds })), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("runId").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
