namespace FlowDashboard.Console.Components.Pages.Overview;

/// <summary>A time window the overview can show: its name in the URL, its length and the width of its chart's bars.</summary>
/// <param name="Key">The URL's <c>window</c> value.</param>
/// <param name="Label">What the operator reads.</param>
/// <param name="Length">How far back it reaches.</param>
/// <param name="Bucket">How long one bar of the chart is.</param>
internal sealed record OverviewWindow(string Key, string Label, TimeSpan Length, TimeSpan Bucket)
{
    public static readonly IReadOnlyList<OverviewWindow> All =
    [
        new("15m", "15 min", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1)),
        new("1h", "1 hour", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)),
        new("24h", "24 hours", TimeSpan.FromHours(24), TimeSpan.FromMinutes(15)),
        new("7d", "7 days", TimeSpan.FromDays(7), TimeSpan.FromHours(2)),
    ];

    /// <summary>The window the overview opens with.</summary>
    public static OverviewWindow Default => All[1];

    /// <summary>The window named <paramref name="key"/>; the default for none or an unknown one.</summary>
    public static OverviewWindow Parse(string? key) => All.FirstOrDefault(w => string.Equals(w.Key, key, StringComparison.OrdinalIgnoreCase)) ?? Default;
}
