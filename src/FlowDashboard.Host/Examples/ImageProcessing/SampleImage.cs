using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>Renders the PNG the host serves at <c>/examples/sample-image.png</c>, since this example may have no outside network.</summary>
internal static class SampleImage
{
    /// <summary>A diagonal-striped gradient of the given size, as PNG bytes.</summary>
    public static async Task<byte[]> RenderAsync(int width, int height, CancellationToken cancellationToken)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var stripe = ((x + y) / 40 % 2) == 0 ? 24 : 0;
                    row[x] = new Rgba32((byte)(40 + (180 * x / width)), (byte)(90 + stripe), (byte)(200 - (150 * y / height)));
                }
            }
        });
        using var png = new MemoryStream();
        await image.SaveAsPngAsync(png, cancellationToken);
        return png.ToArray();
    }
}
