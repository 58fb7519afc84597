using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Core.Tests.Infrastructure;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) for the engine's calls to reach, shared by a test
/// class as a fixture. Every endpoint takes a key in its path that the test picks, so tests sharing the
/// server never see each other's requests, counters or gates.
/// </summary>
/// <remarks>
/// Endpoints (any method):
/// <c>echo/{key}</c> answers the request's method and body as JSON;
/// <c>widget/{key}</c> answers <see cref="WidgetJson"/>;
/// <c>status/{key}/{code}</c> answers that status;
/// <c>flaky/{key}/{failures}</c> answers 500 for the first <c>failures</c> requests, then 200;
/// <c>slow/{key}/{slowOnes}</c> holds the first <c>slowOnes</c> requests for a minute (until the caller gives up), then answers at once;
/// <c>error-once/{key}</c> answers 200 with an error field in the body the first time, then 200 without;
/// <c>gate/{key}</c> answers only once the test calls <see cref="Release"/>.
/// Every response carries <c>X-Loopback</c> with the endpoint's name.
/// </remarks>
public sealed class LoopbackServer : IAsyncLifetime
{
    /// <summary>The body of <c>widget/{key}</c>.</summary>
    public const string WidgetJson = """{"id":42,"name":"sprocket"}""";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedRequest>> received = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new();
    private WebApplication? app;

    /// <summary>The server's address, with a trailing slash; known once it has started.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>An absolute URL on this server.</summary>
    public string Url(string relative) => new Uri(BaseAddress, relative).ToString();

    /// <summary>The requests received under <paramref name="key"/>, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Received(string key) =>
        received.TryGetValue(key, out var queue) ? [.. queue] : [];

    /// <summary>Lets the requests held by <c>gate/{key}</c> (and later ones) answer.</summary>
    public void Release(string key) => Gate(key).TrySetResult();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        Map("echo/{key}", async (http, _) =>
        {
            var request = Received(http.Request.RouteValues["key"]!.ToString()!)[^1];
            await http.Response.WriteAsJsonAsync(new Echo(request.Method, request.Body), http.RequestAborted);
        });
        Map("widget/{key}", (http, _) => Json(http, 200, WidgetJson));
        Map("status/{key}/{code:int}", (http, _) => Json(http, Number(http, "code"), $$"""{"status":{{Number(http, "code")}}}"""));
        Map("flaky/{key}/{failures:int}", (http, hit) =>
            hit <= Number(http, "failures") ? Json(http, 500, $$"""{"failure":{{hit}}}""") : Json(http, 200, $$"""{"attempt":{{hit}}}"""));
        Map("slow/{key}/{slowOnes:int}", async (http, hit) =>
        {
            if (hit <= Number(http, "slowOnes")) await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted);
            await Json(http, 200, $$"""{"attempt":{{hit}}}""");
        });
        Map("error-once/{key}", (http, hit) =>
            Json(http, 200, hit == 1 ? """{"error":"busy, try again"}""" : """{"status":"ok"}"""));
        Map("gate/{key}", async (http, _) =>
        {
            await Gate(http.Request.RouteValues["key"]!.ToString()!).Task.WaitAsync(http.RequestAborted);
            await Json(http, 200, """{"released":true}""");
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in gates.Values) gate.TrySetResult();
        if (app is not null) await app.DisposeAsync();
    }

    private void Map(string pattern, Func<HttpContext, int, Task> answer)
    {
        var name = pattern[..pattern.IndexOf('/', StringComparison.Ordinal)];
        app!.Map(pattern, async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var queue = received.GetOrAdd(http.Request.RouteValues["key"]!.ToString()!, _ => new ConcurrentQueue<ReceivedRequest>());
            int hit;
            lock (queue)
            {
                queue.Enqueue(new ReceivedRequest(http.Request.Method, headers, body));
                hit = queue.Count;
            }

            http.Response.Headers["X-Loopback"] = name;
            try
            {
                await answer(http, hit);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The caller gave up (its timeout): nobody is left to answer.
            }
        });
    }

    private TaskCompletionSource Gate(string key) =>
        gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static int Number(HttpContext http, string name) =>
        int.Parse(http.Request.RouteValues[name]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static Task Json(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json, http.RequestAborted);
    }

    /// <summary>What <c>echo/{key}</c> answers.</summary>
    public sealed record Echo(string Method, string Body);
}
