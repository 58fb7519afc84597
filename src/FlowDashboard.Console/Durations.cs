using System.Globalization;

namespace FlowDashboard.Console;

/// <summary>Durations in words an operator reads at a glance: 120 ms, 1.2 s, 3 min 4 s, 2 h 5 min, 3 d 4 h.</summary>
internal static class Durations
{
    public static string Format(TimeSpan value, bool precise = true)
    {
        var c = CultureInfo.InvariantCulture;
        if (value < TimeSpan.Zero) value = TimeSpan.Zero;
        if (value.TotalSeconds < 1) return precise ? $"{value.TotalMilliseconds.ToString("0", c)} ms" : "now";
        if (value.TotalSeconds < 10 && precise) return $"{value.TotalSeconds.ToString("0.0", c)} s";
        if (value.TotalMinutes < 1) return $"{value.TotalSeconds.ToString("0", c)} s";
        if (value.TotalHours < 1) return value.Seconds == 0 || !precise ? $"{(int)value.TotalMinutes} min" : $"{(int)value.TotalMinutes} min {value.Seconds} s";
        if (value.TotalDays < 1) return value.Minutes == 0 ? $"{(int)value.TotalHours} h" : $"{(int)value.TotalHours} h {value.Minutes} min";
        return value.Hours == 0 ? $"{(int)value.TotalDays} d" : $"{(int)value.TotalDays} d {value.Hours} h";
    }
}
