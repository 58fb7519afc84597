using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;

namespace FlowDashboard.Host.Tests.Examples.ImageProcessing;

public sealed class ImageProcessingWorkflowTests(ExampleHostFactory host) : IClassFixture<ExampleHostFactory>
{
    [Theory]
    [InlineData(640, 320, 100, 100, 50)]
    [InlineData(600, 800, null, 96, 128)]
    public async Task RunAsync_HostSampleImage_WritesPngThumbnailWhoseLongestEdgeIsMaxSize(int width, int height, int? maxSize, int thumbnailWidth, int thumbnailHeight)
    {
        var url = new Uri(host.Address, $"/examples/sample-image.png?width={width}&height={height}").ToString();
        object input = maxSize is null ? new { imageUrl = url } : new { imageUrl = url, maxSize };

        var run = await host.WaitForFinalAsync(await host.TriggerAsync("image-processing", input));

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(["fetch-image", "make-thumbnail", "store-result"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var manifestPath = run.GetProperty("output").GetString()!;
        Assert.StartsWith(Path.Combine(host.Folder, "images"), manifestPath, StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(url, manifest.GetProperty("source").GetString());
        Assert.Equal((width, height), (manifest.GetProperty("originalWidth").GetInt32(), manifest.GetProperty("originalHeight").GetInt32()));
        Assert.Equal(new FileInfo(manifest.GetProperty("original").GetString()!).Length, manifest.GetProperty("originalBytes").GetInt64());

        var thumbnail = manifest.GetProperty("thumbnail").GetString()!;
        Assert.Equal(new FileInfo(thumbnail).Length, manifest.GetProperty("thumbnailBytes").GetInt64());
        var info = await Image.IdentifyAsync(thumbnail, TestContext.Current.CancellationToken);
        Assert.Equal(PngFormat.Instance, Image.DetectFormat(thumbnail));
        Assert.Equal((thumbnailWidth, thumbnailHeight), (info.Width, info.Height));
    }

    [Theory]
    [InlineData("/examples/no-such-image.png", "404")]
    [InlineData("/examples/inventory", "is not an image")]
    public async Task RunAsync_UnusableUrl_FailsAtFetchImageAfterOneAttempt(string path, string reason)
    {
        var run = await host.WaitForFinalAsync(await host.TriggerAsync("image-processing", new { imageUrl = new Uri(host.Address, path).ToString() }));

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("fetch-image", step.GetProperty("name").GetString());
        var attempt = Assert.Single(step.GetProperty("attempts").EnumerateArray());
        Assert.Equal("FlowDashboard.Exceptions.NonRetryableException", attempt.GetProperty("errorType").GetString());
        Assert.Contains(reason, run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"maxSize":100}""", "imageUrl")]
    [InlineData("""{"imageUrl":"http://127.0.0.1/x.png","maxSize":"big"}""", "maxSize")]
    [InlineData("""{"imageUrl":"http://127.0.0.1/x.png","format":"webp"}""", "format")]
    [InlineData("""{"imageUrl":"ftp://127.0.0.1/x.png"}""", "imageUrl")]
    [InlineData("""{"imageUrl":"/examples/sample-image.png"}""", "imageUrl")]
    [InlineData("""{"imageUrl":"http://127.0.0.1/x.png","maxSize":5}""", "maxSize")]
    public async Task Trigger_BadInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await host.PostInputAsync("image-processing", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
