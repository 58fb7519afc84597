using System.Net;
using FlowDashboard.Exceptions;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>
/// Downloads an image to a file. Answers that another attempt cannot fix (a 404, a page that is not an
/// image, a file too large) throw <see cref="NonRetryableException"/>; network errors and 5xx are left to
/// the engine's retries.
/// </summary>
public sealed class ImageFetcher(IHttpClientFactory http)
{
    /// <summary>The largest download accepted: a thumbnail maker has no use for more, and disk is not free.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    /// <summary>Downloads <paramref name="url"/> into <paramref name="folder"/> as <c>original.&lt;ext&gt;</c> and returns the file's path.</summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="folder">Created if missing; a repeated download overwrites the file.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    public async Task<string> DownloadAsync(Uri url, string folder, CancellationToken cancellationToken)
    {
        using var response = await http.CreateClient().GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new NonRetryableException($"{url} answered {status} {response.ReasonPhrase}: check the URL.");
        }

        response.EnsureSuccessStatusCode();
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new NonRetryableException($"{url} is not an image: its Content-Type is '{type ?? "(none)"}'.");
        }

        if (response.Content.Headers.ContentLength > MaxBytes) throw TooLarge(url);

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "original" + Extension(type));
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;

        // Counted while copying too: a server may send no Content-Length, or a false one.
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBytes) throw TooLarge(url);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return path;
    }

    private static NonRetryableException TooLarge(Uri url) =>
        new($"{url} is larger than {MaxBytes / (1024 * 1024)} MB.");

    // Only for a readable file name: ImageSharp detects the format from the content.
    private static string Extension(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/png" => ".png",
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        "image/tiff" => ".tiff",
        _ => ".img",
    };
}
