using System.Text.RegularExpressions;

namespace FlowDashboard.Client;

/// <summary>
/// A tag of a run: <c>key=value</c>, such as <c>customer=42</c>. A run has at most one value per key and at most
/// <see cref="MaxPerRun"/> tags. The runs list filters by tag and bulk actions act by tag.
/// </summary>
/// <param name="Key">1 to 64 letters, digits and <c>- _ . :</c>.</param>
/// <param name="Value">1 to 200 characters, none of them a control character; compared exactly.</param>
public sealed partial record RunTag(string Key, string Value)
{
    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The longest value.</summary>
    public const int MaxValueLength = 200;

    /// <summary>The most tags one run carries.</summary>
    public const int MaxPerRun = 20;

    /// <summary>No tags.</summary>
    internal static IReadOnlyDictionary<string, string> None { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Tags by key, in key order.</summary>
    internal static IReadOnlyDictionary<string, string> ByKey(IEnumerable<(string Key, string Value)> tags)
    {
        var byKey = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags) byKey[key] = value;
        return byKey;
    }

    /// <summary>Reads <c>key=value</c> (split at the first <c>=</c>).</summary>
    /// <exception cref="ArgumentException">The text is not a valid tag; the message says why.</exception>
    public static RunTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var problem) ?? throw new ArgumentException(problem, nameof(text));
    }

    /// <summary>Reads <c>key=value</c>; null, with the reason, when the text is not a valid tag.</summary>
    internal static RunTag? TryParse(string text, out string? problem)
    {
        var at = text.IndexOf('=', StringComparison.Ordinal);
        if (at < 0)
        {
            problem = $"Tag '{Shown(text)}' is not valid: write it as key=value, such as customer=42.";
            return null;
        }

        var tag = new RunTag(text[..at], text[(at + 1)..]);
        problem = tag.Problem();
        return problem is null ? tag : null;
    }

    /// <summary>Checks a run's tags: each valid, one value per key, at most <see cref="MaxPerRun"/>.</summary>
    /// <exception cref="ArgumentException">One is not valid, or there are too many; the message says which.</exception>
    public static IReadOnlyList<RunTag> Checked(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || tags.Count == 0) return [];
        if (tags.Count > MaxPerRun) throw new ArgumentException($"A run carries at most {MaxPerRun} tags; {tags.Count} were given.", nameof(tags));
        var checkedTags = tags.Select(t => new RunTag(t.Key, t.Value)).ToList();
        return checkedTags.Select(t => t.Problem()).FirstOrDefault(p => p is not null) is { } problem
            ? throw new ArgumentException(problem, nameof(tags))
            : checkedTags;
    }

    /// <summary>Why this is not a valid tag, or null when it is.</summary>
    internal string? Problem()
    {
        if (Key is null || !KeyPattern().IsMatch(Key)) return $"Tag key '{Shown(Key ?? "")}' is not valid: use 1 to {MaxKeyLength} letters, digits and '-', '_', '.', ':'.";
        if (string.IsNullOrEmpty(Value) || Value.Length > MaxValueLength || Value.Any(char.IsControl))
        {
            return $"The value of tag '{Key}' is not valid: give 1 to {MaxValueLength} characters, without control characters.";
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Key}={Value}";

    private static string Shown(string text)
    {
        var shown = new string(text.Take(MaxKeyLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > MaxKeyLength ? shown + "..." : shown;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex KeyPattern();
}
