using System.Text.RegularExpressions;

namespace FlowDashboard.Client;

/// <summary>What a caller-chosen run id may be: it is part of the run's URL, so it must read back as itself.</summary>
internal static partial class RunIdRule
{
    /// <summary>Why <paramref name="runId"/> cannot be a run id, or null when it can.</summary>
    public static string? Problem(string runId)
    {
        if (!Pattern().IsMatch(runId)) return $"Run id '{Printable(runId)}' is not valid: use 1 to 100 letters, digits and '-', '_', '.', ':'.";

        // "." and ".." are dot segments: a URL holding them is read as another URL, so the run could not be reached.
        if (runId.All(c => c == '.')) return $"Run id '{runId}' is not valid: an id made only of dots cannot be part of a URL.";
        return null;
    }

    private static string Printable(string text)
    {
        var shown = new string(text.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 100 ? shown + "..." : shown;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex Pattern();
}
