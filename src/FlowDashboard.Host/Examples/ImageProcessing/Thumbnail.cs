using FlowDashboard.Exceptions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>What make-thumbnail produced: a file path and sizes, never pixels, so the recorded step stays small.</summary>
/// <param name="Path">The PNG thumbnail.</param>
/// <param name="Width">Its width.</param>
/// <param name="Height">Its height.</param>
/// <param name="SourceWidth">The original's width.</param>
/// <param name="SourceHeight">The original's height.</param>
public sealed record Thumbnail(string Path, int Width, int Height, int SourceWidth, int SourceHeight)
{
    /// <summary>The most pixels an original may have: decoding needs 4 bytes each, so this caps memory at about 160 MB.</summary>
    public const long MaxSourcePixels = 40_000_000;

    /// <summary>Resizes <paramref name="original"/> to fit a <paramref name="maxSize"/> square, keeping its shape, and saves it as PNG.</summary>
    /// <param name="original">The image file.</param>
    /// <param name="maxSize">The longest edge, in pixels; smaller images are enlarged to it.</param>
    /// <param name="path">Where to write the PNG (overwritten).</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    public static async Task<Thumbnail> CreateAsync(string original, int maxSize, string path, CancellationToken cancellationToken)
    {
        try
        {
            // Identify reads only the header: a small file can declare a huge canvas.
            var info = await Image.IdentifyAsync(original, cancellationToken)
                ?? throw new NonRetryableException($"{original} is not in an image format this example reads.");
            if ((long)info.Width * info.Height > MaxSourcePixels)
            {
                throw new NonRetryableException($"The image is {info.Width}x{info.Height}: more than {MaxSourcePixels:N0} pixels.");
            }

            using var image = await Image.LoadAsync(original, cancellationToken);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(maxSize, maxSize), Mode = ResizeMode.Max }));
            await image.SaveAsPngAsync(path, cancellationToken);
            return new Thumbnail(path, image.Width, image.Height, info.Width, info.Height);
        }
        catch (ImageFormatException ex)
        {
            throw new NonRetryableException($"The image cannot be read: {ex.Message}", ex);
        }
    }
}
