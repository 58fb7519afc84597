using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright; test.sh installs it, Playwright downloads nothing.</summary>
public sealed class Chromium : IAsyncLifetime
{
    private const string Executable = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: run ./test.sh, which installs Debian's chromium.");
        playwright = await Playwright.CreateAsync();

        // Expectations retry until they hold; a loaded machine may take longer than Playwright's default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,

            // The machine has no network beyond loopback: background services would only fail and retry.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }

    /// <summary>A fresh page at a desktop size; script errors and failed requests land in <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) errors.Add($"{response.Status} {response.Url}");
        };
        return page;
    }
}
