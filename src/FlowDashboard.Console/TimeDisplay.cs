namespace FlowDashboard.Console;

/// <summary>How the console shows times.</summary>
public enum TimeDisplay
{
    /// <summary>In UTC.</summary>
    Utc,

    /// <summary>In the browser's time zone.</summary>
    Local,

    /// <summary>As "3 min ago".</summary>
    Relative,
}
