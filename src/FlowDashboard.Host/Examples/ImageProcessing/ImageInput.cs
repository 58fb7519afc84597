using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>Which image to make a thumbnail of, and how big.</summary>
public sealed record ImageInput
{
    /// <summary>An absolute http or https URL of an image (PNG, JPEG, GIF, BMP, TGA, TIFF, WebP).</summary>
    [Required]
    [HttpUrl]
    [StringLength(2000)]
    public required string ImageUrl { get; init; }

    /// <summary>The thumbnail's longest edge in pixels (16 to 2048); 128 when left out.</summary>
    [Range(16, 2048)]
    public int MaxSize { get; init; } = 128;
}
