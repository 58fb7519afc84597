using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests.Infrastructure;

/// <summary>Saves full-page screenshots under <c>test-results/screenshots/</c> at the repository root, for people to look at.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "test-results", "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FlowDashboard.sln"))) return directory.FullName;
        }

        return Path.GetTempPath();
    }
}
