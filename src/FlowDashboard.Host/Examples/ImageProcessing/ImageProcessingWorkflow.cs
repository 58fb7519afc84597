using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>Downloads an image, makes a thumbnail and stores a manifest. Steps hand each other file paths, not bytes.</summary>
public sealed class ImageProcessingWorkflow(IHttpClientFactory http, IOptions<ExamplesOptions> options, IHostEnvironment environment)
    : IWorkflow<ImageInput, ImageProcessingWorkflow.Manifest>
{
    /// <inheritdoc />
    public async Task<Manifest> RunAsync(IWorkflowContext<ImageInput> context)
    {
        var folder = Path.Combine(environment.ContentRootPath, options.Value.ImagesPath, context.RunId);
        var input = context.Input;

        var original = await context.RunAsync("fetch-image", async ct =>
        {
            using var response = await http.CreateClient().GetAsync(new Uri(input.ImageUrl), ct);
            if ((int)response.StatusCode is >= 400 and < 500)
            {
                throw new NonRetryableException($"{input.ImageUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentType?.MediaType?.StartsWith("image/", StringComparison.Ordinal) != true)
            {
                throw new NonRetryableException($"{input.ImageUrl} is not an image (Content-Type {response.Content.Headers.ContentType}).");
            }

            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "original" + Path.GetExtension(new Uri(input.ImageUrl).AbsolutePath));
            await using var file = File.Create(path);
            await response.Content.CopyToAsync(file, ct);
            return path;
        });

        var thumbnail = await context.RunAsync("make-thumbnail", async ct =>
        {
            using var image = await Image.LoadAsync(original, ct);
            var source = image.Size();
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(input.MaxSize, input.MaxSize), Mode = ResizeMode.Max }));
            var path = Path.Combine(folder, "thumbnail.png");
            await image.SaveAsPngAsync(path, ct);
            return new Thumbnail(path, source.Width, source.Height, image.Width, image.Height);
        });

        return await context.RunAsync("store-result", async ct =>
        {
            var manifest = new Manifest(
                input.ImageUrl, original, new FileInfo(original).Length, thumbnail.Path, new FileInfo(thumbnail.Path).Length,
                $"{thumbnail.SourceWidth}x{thumbnail.SourceHeight}", $"{thumbnail.Width}x{thumbnail.Height}");
            await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest), ct);
            return manifest;
        });
    }

    /// <summary>What make-thumbnail produced.</summary>
    /// <param name="Path">The thumbnail file.</param>
    /// <param name="SourceWidth">The original's width.</param>
    /// <param name="SourceHeight">The original's height.</param>
    /// <param name="Width">The thumbnail's width.</param>
    /// <param name="Height">The thumbnail's height.</param>
    public sealed record Thumbnail(string Path, int SourceWidth, int SourceHeight, int Width, int Height);

    /// <summary>The run's output, also written next to the files as manifest.json.</summary>
    /// <param name="Source">Where the image came from.</param>
    /// <param name="Original">The downloaded file.</param>
    /// <param name="OriginalBytes">Its size.</param>
    /// <param name="Thumbnail">The thumbnail file.</param>
    /// <param name="ThumbnailBytes">Its size.</param>
    /// <param name="OriginalSize">The original's pixel size.</param>
    /// <param name="ThumbnailSize">The thumbnail's pixel size.</param>
    public sealed record Manifest(
        string Source, string Original, long OriginalBytes, string Thumbnail, long ThumbnailBytes, string OriginalSize, string ThumbnailSize);
}
