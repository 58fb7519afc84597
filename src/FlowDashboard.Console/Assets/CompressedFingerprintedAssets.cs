using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FlowDashboard.Console.Assets;

/// <summary>
/// Serves a package's fingerprinted asset compressed. The SDK compresses a package's asset (MudBlazor's 613 KB
/// stylesheet) under its plain URL only, not under the fingerprinted URL the pages use: a request for that URL that
/// accepts an encoding is served from the plain URL, which negotiates gzip or Brotli, with the fingerprinted URL's
/// year-long caching. Assets the SDK already compresses under their fingerprinted URL are left alone, and so is every
/// asset once the SDK compresses them all.
/// </summary>
internal sealed class CompressedFingerprintedAssets
{
    private readonly FrozenDictionary<string, Plain> byPath;
    private readonly bool keepCaching;

    private CompressedFingerprintedAssets(FrozenDictionary<string, Plain> byPath, bool keepCaching)
    {
        this.byPath = byPath;
        this.keepCaching = keepCaching;
    }

    /// <summary>The fingerprinted paths (under the console's prefix, such as <c>/_content/MudBlazor/MudBlazor.min.k4r0it8844.css</c>) this serves.</summary>
    public IReadOnlyCollection<string> Paths => byPath.Keys;

    /// <summary>Reads the host's static web assets manifest.</summary>
    /// <param name="manifest">The path of <c>{app}.staticwebassets.endpoints.json</c>.</param>
    /// <param name="keepCaching">
    /// True in Development, where the framework serves every asset with <c>no-cache</c> (assets change as you edit):
    /// the plain URL's answer is left as it is.
    /// </param>
    public static CompressedFingerprintedAssets Read(string manifest, bool keepCaching)
    {
        using var stream = File.OpenRead(manifest);
        using var document = JsonDocument.Parse(stream);
        var endpoints = document.RootElement.GetProperty("Endpoints").EnumerateArray()
            .Select(e => new
            {
                Route = e.GetProperty("Route").GetString()!,
                Compressed = e.GetProperty("Selectors").EnumerateArray().Any(s => s.GetProperty("Name").GetString() == "Content-Encoding"),
                Properties = Pairs(e, "EndpointProperties"),
                Headers = Pairs(e, "ResponseHeaders"),
            })
            .ToList();
        var compressedRoutes = endpoints.Where(e => e.Compressed).Select(e => e.Route).ToHashSet(StringComparer.Ordinal);
        var byPath = new Dictionary<string, Plain>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Compressed || !endpoint.Properties.ContainsKey("fingerprint") || !endpoint.Properties.TryGetValue("label", out var label)) continue;
            if (compressedRoutes.Contains(endpoint.Route) || !compressedRoutes.Contains(label)) continue;
            byPath["/" + endpoint.Route] = new Plain("/" + label, endpoint.Headers.GetValueOrDefault(HeaderNames.CacheControl));
        }

        return new CompressedFingerprintedAssets(byPath.ToFrozenDictionary(StringComparer.Ordinal), keepCaching);
    }

    /// <summary>Sends such a request to the plain URL; every other request goes on unchanged.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Headers.AcceptEncoding.Count > 0
            && byPath.TryGetValue(request.Path.Value ?? "", out var plain))
        {
            request.Path = plain.Path;
            if (!keepCaching && plain.CacheControl is { } cacheControl)
            {
                // The content behind a fingerprint never changes: the plain URL's no-cache does not apply to it.
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
                    {
                        context.Response.Headers.CacheControl = cacheControl;
                    }

                    return Task.CompletedTask;
                });
            }
        }

        return next(context);
    }

    private static Dictionary<string, string> Pairs(JsonElement endpoint, string name) =>
        endpoint.TryGetProperty(name, out var list)
            ? list.EnumerateArray().GroupBy(p => p.GetProperty("Name").GetString()!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().GetProperty("Value").GetString()!, StringComparer.OrdinalIgnoreCase)
            : [];

    private sealed record Plain(string Path, string? CacheControl);
}
