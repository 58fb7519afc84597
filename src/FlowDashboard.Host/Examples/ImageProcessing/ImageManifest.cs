using System.Text.Json;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>What store-result writes next to the files as <c>manifest.json</c>.</summary>
/// <param name="Source">Where the image came from.</param>
/// <param name="Original">The downloaded file.</param>
/// <param name="OriginalBytes">Its size in bytes.</param>
/// <param name="OriginalWidth">Its width.</param>
/// <param name="OriginalHeight">Its height.</param>
/// <param name="Thumbnail">The thumbnail file.</param>
/// <param name="ThumbnailBytes">Its size in bytes.</param>
/// <param name="ThumbnailWidth">Its width.</param>
/// <param name="ThumbnailHeight">Its height.</param>
public sealed record ImageManifest(
    string Source,
    string Original,
    long OriginalBytes,
    int OriginalWidth,
    int OriginalHeight,
    string Thumbnail,
    long ThumbnailBytes,
    int ThumbnailWidth,
    int ThumbnailHeight)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the manifest as <c>manifest.json</c> into <paramref name="folder"/> and returns its path.</summary>
    /// <param name="folder">The run's image folder.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    public async Task<string> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "manifest.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json), cancellationToken);
        return path;
    }
}
