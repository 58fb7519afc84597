using System.Globalization;
using Microsoft.JSInterop;

namespace FlowDashboard.Console;

/// <summary>
/// One console tab's display preferences (time display, dark mode), kept in the browser's local storage,
/// and the formatting of times and durations that follows from them.
/// </summary>
internal sealed class ConsolePreferences(IJSRuntime js, TimeProvider time)
{
    private TimeZoneInfo zone = TimeZoneInfo.Utc;

    /// <summary>Raised after a preference changes, so every component showing times redraws.</summary>
    public event Action? Changed;

    public TimeDisplay TimeDisplay { get; private set; } = TimeDisplay.Utc;

    public bool DarkMode { get; private set; }

    public bool Loaded { get; private set; }

    /// <summary>Reads the browser's zone and saved preferences; call once the circuit can run JavaScript.</summary>
    public async Task LoadAsync()
    {
        var saved = await js.InvokeAsync<Saved>("flowDashboard.load");
        zone = TimeZoneInfo.TryFindSystemTimeZoneById(saved.TimeZone ?? "UTC", out var found) ? found : TimeZoneInfo.Utc;
        TimeDisplay = Enum.TryParse<TimeDisplay>(saved.TimeDisplay, out var display) ? display : TimeDisplay.Utc;
        DarkMode = saved.DarkMode is { } dark ? dark == "true" : saved.PrefersDark;
        Loaded = true;
        Changed?.Invoke();
    }

    public async Task SetTimeDisplayAsync(TimeDisplay display)
    {
        TimeDisplay = display;
        Changed?.Invoke();
        await js.InvokeVoidAsync("flowDashboard.save", "timeDisplay", display.ToString());
    }

    public async Task SetDarkModeAsync(bool dark)
    {
        DarkMode = dark;
        Changed?.Invoke();
        await js.InvokeVoidAsync("flowDashboard.save", "darkMode", dark ? "true" : "false");
    }

    /// <summary>A time as the operator chose to see it.</summary>
    public string Format(DateTimeOffset? value)
    {
        if (value is not { } at) return "—";
        return TimeDisplay switch
        {
            TimeDisplay.Relative => Relative(at),
            TimeDisplay.Local => TimeZoneInfo.ConvertTime(at, zone).ToString("MMM d, HH:mm:ss", CultureInfo.InvariantCulture),
            _ => at.UtcDateTime.ToString("MMM d, HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
        };
    }

    /// <summary>The exact time, for a tooltip: always unambiguous.</summary>
    public static string Exact(DateTimeOffset? value) =>
        value is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC" : "";

    /// <summary>The zone times are shown in, for a column header or a label.</summary>
    public string ZoneLabel => TimeDisplay switch
    {
        TimeDisplay.Local => zone.Id,
        TimeDisplay.Relative => "relative",
        _ => "UTC",
    };

    private string Relative(DateTimeOffset at)
    {
        var delta = time.GetUtcNow() - at;
        var text = Durations.Format(delta.Duration(), precise: false);
        return delta >= TimeSpan.Zero ? $"{text} ago" : $"in {text}";
    }

    private sealed record Saved(string? TimeZone, string? TimeDisplay, string? DarkMode, bool PrefersDark);
}
