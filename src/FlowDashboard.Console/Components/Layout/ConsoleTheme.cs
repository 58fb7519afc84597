using MudBlazor;

namespace FlowDashboard.Console.Components.Layout;

/// <summary>The console's calm palette and the system font (no web fonts: the console may have no internet).</summary>
internal static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            AppbarBackground = "#263238",
            AppbarText = "#eceff1",
            Background = "#f5f6f8",
            DrawerBackground = "#ffffff",
            TableLines = "#e6e8ec",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            AppbarBackground = "#1b1f24",
            Background = "#14171b",
            Surface = "#1e2227",
            DrawerBackground = "#1b1f24",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        // The drawer's width lives here, not on MudDrawer: a fixed drawer takes its width, and the content its margin, from the theme.
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px", DrawerWidthLeft = "220px" },
    };
}
