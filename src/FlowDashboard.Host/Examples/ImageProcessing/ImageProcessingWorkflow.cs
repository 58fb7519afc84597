using FlowDashboard.Authoring;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>
/// Downloads an image, makes a PNG thumbnail with ImageSharp and writes a manifest; the run's output is the
/// manifest's path. Steps hand each other file paths, never bytes: a recorded result should stay small.
/// </summary>
public sealed class ImageProcessingWorkflow(ImageFetcher fetcher, IOptions<ExamplesOptions> options) : IWorkflow<ImageInput, string>
{
    // Slow servers get a minute per attempt; the default retries (3, from 1 s) cover network errors.
    private static readonly StepOptions Download = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <inheritdoc />
    public async Task<string> RunAsync(IWorkflowContext<ImageInput> context)
    {
        var input = context.Input;
        var folder = Path.Combine(options.Value.ImagesPath, context.RunId);

        var original = await context.RunAsync("fetch-image", ct => fetcher.DownloadAsync(new Uri(input.ImageUrl), folder, ct), Download);

        var thumbnail = await context.RunAsync("make-thumbnail", ct =>
            Thumbnail.CreateAsync(original, input.MaxSize, Path.Combine(folder, "thumbnail.png"), ct));

        return await context.RunAsync("store-result", ct => new ImageManifest(
                input.ImageUrl,
                original,
                new FileInfo(original).Length,
                thumbnail.SourceWidth,
                thumbnail.SourceHeight,
                thumbnail.Path,
                new FileInfo(thumbnail.Path).Length,
                thumbnail.Width,
                thumbnail.Height)
            .WriteAsync(folder, ct));
    }
}
