using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>
/// The console on a phone's screen (390 x 844, an iPhone 12 to 15) in a real Chromium: no page scrolls sideways, the
/// menu opens the drawer and its links navigate, an unknown address gets the console's own 404 page, and the
/// reconnect banner says what is happening. A host of its own: the runs it makes would change what the other classes count.
/// </summary>
public sealed class PhoneLayoutTests(ConsoleHost host, Chromium chromium) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    private const int Width = 390;
    private const int Height = 844;

    private static readonly Regex DrawerClosed = new(@"\bmud-drawer--closed\b");
    private static readonly Regex DrawerOpen = new(@"\bmud-drawer--open\b");

    [Fact]
    public async Task EveryPage_AtPhoneWidth_FitsTheScreenAndItsMenuNavigates()
    {
        await host.OrderAsync("phone-ok", "widget", 1);
        await host.OrderAsync("phone-bad", "gizmo", 1);
        await host.WaitForStatusAsync("phone-ok", "Completed");
        await host.WaitForStatusAsync("phone-bad", "Failed");
        await CreateScheduleAsync("phone-nightly");

        var errors = new List<string>();
        var page = await NewPhonePageAsync(errors);

        // Each page, once its content is there; then the menu, whose "Failed" link leads to one more page to measure.
        await VisitAsync(page, "", page.GetByTestId("status-counts"));
        await VisitAsync(page, "runs", RunRow(page, "phone-ok"), screenshot: "phone-runs");
        await VisitAsync(page, "runs/phone-ok", page.GetByTestId("run-facts"));
        await VisitAsync(page, "runs/phone-bad", page.GetByTestId("step-panel"), screenshot: "phone-run");
        await VisitAsync(page, "schedules", page.Locator("[data-testid=schedule-table] tr[data-schedule='phone-nightly']"));
        await VisitAsync(page, "schedules/phone-nightly", page.GetByTestId("run-table"));
        await VisitAsync(page, "nope/deeper", page.GetByTestId("not-found"));

        // The one 404 the tour asks for.
        errors.RemoveAll(error => error.StartsWith("404 ", StringComparison.Ordinal) && error.EndsWith("/flows/nope/deeper", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EveryPage_WithoutScript_ShowsItsContentPrerenderedWithTheDrawerShut()
    {
        await host.OrderAsync("phone-static", "gizmo", 1);
        await host.WaitForStatusAsync("phone-static", "Failed");

        // What a phone shows before the circuit connects: the server's document alone.
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
        });
        var page = await context.NewPageAsync();
        foreach (var (path, content) in new[] { ("", "status-counts"), ("runs", "run-table"), ("runs/phone-static", "run-facts"), ("failed", "failed-causes"), ("schedules", "schedule-table") })
        {
            var response = await page.GotoAsync(host.ConsoleUrl + path);
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByTestId(content)).ToBeVisibleAsync();
            await Expect(page.GetByTestId("drawer")).ToBeHiddenAsync();
            await AssertFitsAsync(page, "/flows/" + path);
        }

        await page.GotoAsync(host.ConsoleUrl + "runs/phone-static");
        await Expect(page.GetByTestId("step-panel")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "phone-prerendered");
    }

    [Fact]
    public async Task UnknownPage_UnderThePrefix_Answers404WithTheConsolesOwnPage()
    {
        var errors = new List<string>();
        var page = await NewPhonePageAsync(errors);

        var response = await page.GotoConsoleAsync(host.ConsoleUrl + "nope/deeper");

        Assert.Equal(404, response!.Status);
        var notFound = page.GetByTestId("not-found");
        await Expect(notFound).ToContainTextAsync("/flows/nope/deeper");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await notFound.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/flows/runs$"));
        await Expect(page.GetByTestId("run-table")).ToBeVisibleAsync();
        errors.RemoveAll(error => error.StartsWith("404 ", StringComparison.Ordinal) && error.EndsWith("/flows/nope/deeper", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ReconnectBanner_OnBlazorsReconnectStates_SaysWhatHappensAndOffersReload()
    {
        var errors = new List<string>();
        var page = await NewPhonePageAsync(errors);
        await page.GotoConsoleAsync(host.ConsoleUrl);
        await Expect(page.GetByTestId("status-counts")).ToBeVisibleAsync();
        var banner = page.GetByTestId("reconnect-banner");
        await Expect(banner).ToBeHiddenAsync();

        // The events Blazor raises on the element with id components-reconnect-modal while it reconnects.
        await RaiseReconnectStateAsync(page, "{ state: 'show' }");
        await RaiseReconnectStateAsync(page, "{ state: 'retrying', currentAttempt: 3, secondsToNextAttempt: 2 }");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("Connection to the server lost — reconnecting (attempt 3)…");
        await Expect(banner.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await RaiseReconnectStateAsync(page, "{ state: 'rejected' }");
        await Expect(banner).ToContainTextAsync("The server restarted: reload to continue.");
        var reload = banner.GetByRole(AriaRole.Button, new() { Name = "Reload" });
        await Expect(reload).ToBeVisibleAsync();
        var box = await reload.BoundingBoxAsync();
        Assert.True(box is { Height: >= 40 }, $"The Reload button is {box?.Height} px high, less than a finger's 40.");
        await Screenshots.SaveAsync(page, "phone-reconnect");

        await RaiseReconnectStateAsync(page, "{ state: 'hide' }");
        await Expect(banner).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    private async Task<IPage> NewPhonePageAsync(List<string> errors)
    {
        var page = await chromium.NewPageAsync(errors);

        // A desktop browser at a phone's size: a mobile one would zoom out to fit a page that is too wide, and hide it.
        await page.SetViewportSizeAsync(Width, Height);
        return page;
    }

    private async Task VisitAsync(IPage page, string path, ILocator content, string? screenshot = null)
    {
        var response = await page.GotoConsoleAsync(host.ConsoleUrl + path);
        Assert.NotNull(response);
        await Expect(content.First).ToBeVisibleAsync();
        await AssertFitsAsync(page, "/flows/" + path);
        if (screenshot is not null) await Screenshots.SaveAsync(page, screenshot);

        // Below the md breakpoint the drawer starts closed; the menu button opens it over the page.
        var drawer = page.GetByTestId("drawer");
        await Expect(drawer).ToHaveClassAsync(DrawerClosed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true }).ClickAsync();
        await Expect(drawer).ToHaveClassAsync(DrawerOpen);
        var failed = drawer.GetByRole(AriaRole.Link, new() { Name = "Failed" });
        await Expect(failed).ToBeInViewportAsync(new() { Ratio = 1 });
        if (path == "runs") await Screenshots.SaveAsync(page, "phone-menu");

        // A link in it navigates, and the drawer gets out of the way.
        await failed.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/flows/failed$"));
        await Expect(drawer).ToHaveClassAsync(DrawerClosed);
        await Expect(RunRow(page, "phone-bad")).ToBeVisibleAsync();
        await AssertFitsAsync(page, "/flows/failed, reached from /flows/" + path);
    }

    /// <summary>The page does not scroll sideways, and the app bar's last control is wholly on the screen.</summary>
    private static async Task AssertFitsAsync(IPage page, string what)
    {
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle dark mode" })).ToBeInViewportAsync(new() { Ratio = 1 });
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (widths[0] <= widths[1]) return;

        // Name the widest offenders, so a failure says where to look: elements and text not inside a box that scrolls or clips them.
        var wide = await page.EvaluateAsync<string[]>(
            """
            () => {
                const free = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible') return false; } return true; };
                const name = e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`;
                const found = [...document.querySelectorAll('body *')]
                    .map(e => ({ what: name(e), right: e.getBoundingClientRect().right, e }));
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                for (let t = walker.nextNode(); t; t = walker.nextNode()) {
                    const range = document.createRange(); range.selectNodeContents(t);
                    found.push({ what: `text "${t.textContent.trim().slice(0, 40)}" in ${name(t.parentElement)}`, right: range.getBoundingClientRect().right, e: t });
                }
                return found.filter(f => f.right > window.innerWidth + 1 && free(f.e))
                    .sort((a, b) => b.right - a.right).slice(0, 6).map(f => `${f.what} (${Math.round(f.right)} px)`);
            }
            """);
        Assert.Fail($"{what} scrolls sideways at {Width} px: the page is {widths[0]} px wide. Widest: {string.Join(", ", wide)}");
    }

    private static ILocator RunRow(IPage page, string runId) =>
        page.GetByTestId("run-table").Locator($"tbody tr[data-run-id='{runId}']");

    private static async Task RaiseReconnectStateAsync(IPage page, string detail) =>
        await page.EvaluateAsync(
            $"() => document.getElementById('components-reconnect-modal').dispatchEvent(new CustomEvent('components-reconnect-state-changed', {{ detail: {detail} }}))");

    private async Task CreateScheduleAsync(string name)
    {
        // Yearly, at an hour no test runs: the schedule is there to be looked at.
        using var response = await host.Http.PostAsJsonAsync(
            "/flows/api/schedules",
            new { name, workflow = "order-fulfillment", cron = "30 2 1 1 *", input = new { orderId = name, sku = "widget", quantity = 1 } },
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
