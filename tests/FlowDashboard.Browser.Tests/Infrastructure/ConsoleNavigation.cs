using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests.Infrastructure;

/// <summary>Loading a console page the way a test can act on it at once.</summary>
public static class ConsoleNavigation
{
    /// <summary>The mark the console's layout carries once the circuit has drawn the page: clicks are handled from then on.</summary>
    public const string Interactive = "[data-circuit=ready]";

    /// <summary>
    /// Loads <paramref name="url"/> and waits until the page is interactive. A page is prerendered: its content shows
    /// before the circuit has connected, and a click on it before then does nothing.
    /// </summary>
    public static async Task<IResponse?> GotoConsoleAsync(this IPage page, string url)
    {
        var response = await page.GotoAsync(url);
        await page.Locator(Interactive).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        return response;
    }
}
