using System.Globalization;
using System.Text.Json;
using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>
/// How soon the console shows something and then its content, in a fresh Chromium profile over loopback: reported
/// (test-results/first-paint.md and the test output), not asserted as times, which a loaded machine would make flaky.
/// </summary>
public sealed class FirstPaintTests(ConsoleHost host, Chromium chromium, ITestOutputHelper output) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    [Fact]
    public async Task OverviewAndRunPage_ColdLoad_PaintFirstThenShowTheirContent()
    {
        await host.OrderAsync("paint-1", "widget", 1);
        await host.WaitForStatusAsync("paint-1", "Completed");

        var lines = new List<string> { "| page | first contentful paint | content shown | bytes transferred |", "| --- | --- | --- | --- |" };
        foreach (var (name, path, content) in new[] { ("overview", "", "status-counts"), ("run page", "runs/paint-1", "run-facts") })
        {
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors);
            await page.GotoAsync(host.ConsoleUrl + path);
            await Assertions.Expect(page.GetByTestId(content)).ToBeVisibleAsync();
            var timing = await page.EvaluateAsync<JsonElement>(
                """
                () => ({
                    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
                    shown: performance.now(),
                    bytes: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                        .reduce((sum, e) => sum + (e.transferSize || 0), 0),
                })
                """);
            var paint = timing.GetProperty("paint").GetDouble();
            var shown = timing.GetProperty("shown").GetDouble();

            // Something is painted before the content arrives over the circuit, and the page raised no error.
            Assert.InRange(paint, 0, shown);
            Assert.Empty(errors);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | {paint:0} ms | {shown:0} ms | {timing.GetProperty("bytes").GetDouble() / 1024:0} KB |"));
            await page.CloseAsync();
        }

        foreach (var line in lines) output.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshots.Folder)!);
        await File.WriteAllLinesAsync(Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "first-paint.md"), lines, TestContext.Current.CancellationToken);
    }
}
