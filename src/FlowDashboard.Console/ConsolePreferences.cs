using System.Globalization;
using Microsoft.JSInterop;

namespace FlowDashboard.Console;

/// <summary>
/// One console tab's display preferences (time display, dark mode) and the browser's time zone, kept in the browser's
/// local storage and mirrored in a cookie so that a prerendered page shows times and colours as the circuit will; and
/// the formatting of times and durations that follows from them.
/// </summary>
internal sealed class ConsolePreferences(IJSRuntime js, TimeProvider time)
{
    /// <summary>The cookie the preferences are mirrored in: <c>{display}.{dark 0 or 1}.{IANA zone}</c>, no escaping needed.</summary>
    public const string CookieName = "flowdashboard.prefs";

    private TimeZoneInfo zone = TimeZoneInfo.Utc;

    /// <summary>Raised after a preference changes, so every component showing times redraws.</summary>
    public event Action? Changed;

    public TimeDisplay TimeDisplay { get; private set; } = TimeDisplay.Utc;

    public bool DarkMode { get; private set; }

    /// <summary>The preferences as the cookie holds them.</summary>
    public string CookieValue => $"{TimeDisplay}.{(DarkMode ? 1 : 0)}.{zone.Id}";

    /// <summary>
    /// Takes the preferences from the cookie's value, before the first render (prerendered or not); what is missing or
    /// not understood keeps its default. The browser's own values follow with <see cref="LoadAsync"/>.
    /// </summary>
    public void Restore(string? cookie)
    {
        var parts = (cookie ?? "").Split('.', 3);
        if (parts.Length != 3) return;
        if (Enum.TryParse<TimeDisplay>(parts[0], out var display) && Enum.IsDefined(display)) TimeDisplay = display;
        DarkMode = parts[1] == "1";
        if (TimeZoneInfo.TryFindSystemTimeZoneById(parts[2], out var found)) zone = found;
    }

    /// <summary>Reads the browser's zone and saved preferences, and mirrors them in the cookie; call once the circuit can run JavaScript.</summary>
    public async Task LoadAsync()
    {
        var saved = await js.InvokeAsync<Saved>("flowDashboard.load");
        zone = TimeZoneInfo.TryFindSystemTimeZoneById(saved.TimeZone ?? "UTC", out var found) ? found : TimeZoneInfo.Utc;
        TimeDisplay = Enum.TryParse<TimeDisplay>(saved.TimeDisplay, out var display) ? display : TimeDisplay.Utc;
        DarkMode = saved.DarkMode is { } dark ? dark == "true" : saved.PrefersDark;
        Changed?.Invoke();
        await js.InvokeVoidAsync("flowDashboard.remember", CookieName, CookieValue);
    }

    public async Task SetTimeDisplayAsync(TimeDisplay display)
    {
        TimeDisplay = display;
        Changed?.Invoke();
        await js.InvokeVoidAsync("flowDashboard.save", "timeDisplay", display.ToString());
        await js.InvokeVoidAsync("flowDashboard.remember", CookieName, CookieValue);
    }

    public async Task SetDarkModeAsync(bool dark)
    {
        DarkMode = dark;
        Changed?.Invoke();
        await js.InvokeVoidAsync("flowDashboard.save", "darkMode", dark ? "true" : "false");
        await js.InvokeVoidAsync("flowDashboard.remember", CookieName, CookieValue);
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
