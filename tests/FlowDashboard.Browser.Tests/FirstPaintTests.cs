using System.Globalization;
using System.Text.Json;
using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>
/// How soon the console shows its content and then answers clicks, in a fresh Chromium profile over loopback: reported
/// (test-results/first-paint.md and the test output), not asserted as times, which a loaded machine would make flaky.
/// What is asserted: the content is in the first response (prerendered), before the circuit exists.
/// </summary>
public sealed class FirstPaintTests(ConsoleHost host, Chromium chromium, ITestOutputHelper output) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    [Fact]
    public async Task OverviewAndRunPage_ColdLoad_ShowTheirContentBeforeTheCircuitThenTurnInteractive()
    {
        await host.OrderAsync("paint-1", "widget", 1);
        await host.WaitForStatusAsync("paint-1", "Completed");

        var lines = new List<string> { "| page | document received | first contentful paint | content shown | interactive | bytes transferred |", "| --- | --- | --- | --- | --- | --- |" };
        foreach (var (name, path, content) in new[] { ("overview", "", "status-counts"), ("run page", "runs/paint-1", "run-facts") })
        {
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors);

            // The document as the server sends it, before any script ran: the content is in it.
            var response = await page.GotoAsync(host.ConsoleUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            Assert.Contains($"data-testid=\"{content}\"", await response!.TextAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId(content)).ToBeVisibleAsync();
            var shown = await page.EvaluateAsync<double>("() => performance.now()");
            await page.Locator(ConsoleNavigation.Interactive).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            var timing = await page.EvaluateAsync<JsonElement>(
                """
                () => ({
                    document: performance.getEntriesByType('navigation')[0].responseEnd,
                    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
                    interactive: performance.now(),
                    bytes: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                        .reduce((sum, e) => sum + (e.transferSize || 0), 0),
                })
                """);
            var paint = timing.GetProperty("paint").GetDouble();
            var interactive = timing.GetProperty("interactive").GetDouble();

            // Painted, then interactive, and the page raised no error on the way.
            Assert.InRange(paint, 0, interactive);
            Assert.Empty(errors);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | {timing.GetProperty("document").GetDouble():0} ms | {paint:0} ms | {shown:0} ms | {interactive:0} ms | {timing.GetProperty("bytes").GetDouble() / 1024:0} KB |"));
            await page.CloseAsync();
        }

        foreach (var line in lines) output.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshots.Folder)!);
        await File.WriteAllLinesAsync(Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "first-paint.md"), lines, TestContext.Current.CancellationToken);
    }
}
