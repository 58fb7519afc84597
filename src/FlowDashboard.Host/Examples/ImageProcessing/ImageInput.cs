using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>Which image to make a thumbnail of, and how big.</summary>
public sealed record ImageInput
{
    /// <summary>An absolute http or https URL of an image.</summary>
    [Required]
    [Url]
    public required string ImageUrl { get; init; }

    /// <summary>The thumbnail's longest edge in pixels.</summary>
    [Range(16, 2048)]
    public int MaxSize { get; init; } = 128;
}
