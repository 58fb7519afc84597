using System.Text.Json;
using FlowDashboard.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FlowDashboard.Console.Api;

/// <summary>
/// Reads request bodies. Whether a request has a body is decided by reading it, never by a header: a chunked
/// body has no Content-Length. A body must say it is JSON (<c>application/json</c> or a <c>+json</c> type, in
/// UTF-8), so a page elsewhere cannot send one as a "simple" cross-site form or <c>text/plain</c> request.
/// </summary>
internal static class JsonBody
{
    /// <summary>The body as JSON; null when the request has none.</summary>
    /// <exception cref="ApiRequestException">415: the body is not declared JSON.</exception>
    /// <exception cref="JsonException">It is not well-formed JSON.</exception>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0) return null;

        CheckContentType(request.ContentType);
        buffer.Position = 0;
        using var document = await JsonDocument.ParseAsync(buffer, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    /// <summary>The body bound strictly to <typeparamref name="T"/>: unknown members, wrong types and enums given as numbers are refused.</summary>
    /// <param name="request">The request.</param>
    /// <param name="expected">What to send, for the answer to a request without a body (<c>{"runIds": [...]}</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ApiRequestException">No body, not JSON, or it does not bind; the errors name the member.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, string expected, CancellationToken cancellationToken)
    {
        var json = await ReadAsync(request, cancellationToken) ?? throw new ApiRequestException("body", $"The request has no body: send {expected} as JSON.");
        var errors = InputBinder.TryBind<T>(json, out var value);
        if (errors.Count > 0) throw new ApiRequestException(StatusCodes.Status400BadRequest, "The request body is not valid", errors);
        return value!;
    }

    private static void CheckContentType(string? contentType)
    {
        var problem = !MediaTypeHeaderValue.TryParse(contentType, out var type)
            ? $"The body's Content-Type is {(string.IsNullOrEmpty(contentType) ? "missing" : $"'{contentType}'")}: send it as application/json."
            : !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
                ? $"The body's Content-Type is '{contentType}': send it as application/json."
                : type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                    ? $"The body's charset is '{type.Charset}': send JSON in UTF-8."
                    : null;
        if (problem is not null)
        {
            throw new ApiRequestException(
                StatusCodes.Status415UnsupportedMediaType, "The request body is not JSON", new Dictionary<string, string[]> { ["Content-Type"] = [problem] });
        }
    }
}
