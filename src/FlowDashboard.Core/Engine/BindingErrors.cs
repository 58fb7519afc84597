using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace FlowDashboard.Engine;

/// <summary>
/// What a <see cref="JsonException"/> from binding says, keyed by the member it is about and in words a caller can
/// act on: "Expected a whole number." rather than "could not be converted to System.Int32".
/// </summary>
internal static partial class BindingErrors
{
    private const string MissingRequired = "missing required properties including: ";
    private const string NotConverted = "The JSON value could not be converted to ";

    /// <summary>The errors by member path (<c>quantity</c>, <c>filter.status[0]</c>, <c>[2].input</c>; empty for the whole value).</summary>
    /// <param name="error">What System.Text.Json threw.</param>
    /// <param name="root">The type the JSON was bound to.</param>
    public static Dictionary<string, string[]> Of(JsonException error, Type root)
    {
        var message = WithoutPosition(error.Message);
        var at = MemberPath(error.Path);

        // Missing required members come in one message; each gets its own entry.
        var cut = message.IndexOf(MissingRequired, StringComparison.Ordinal);
        if (cut >= 0)
        {
            var members = MissingMember().Matches(message[(cut + MissingRequired.Length)..]).Select(m => m.Groups[1].Value).ToList();
            if (members.Count > 0) return members.ToDictionary(m => at.Length == 0 ? m : $"{at}.{m}", m => new[] { $"The {m} field is required." });
        }

        if (message.StartsWith(NotConverted, StringComparison.Ordinal) && TypeAt(root, error.Path) is { } expected)
        {
            message = $"Expected {Describe(expected)}.";
        }
        else if (Unmapped().Match(message) is { Success: true } unmapped && TypeAt(root, ParentOf(error.Path)) is { } owner)
        {
            message = $"'{unmapped.Groups[1].Value}' is not a member of {owner.Name}: use {string.Join(", ", MemberNames(owner))}.";
        }

        return new Dictionary<string, string[]> { [at] = [message] };
    }

    /// <summary>The type a JSON path (<c>$.filter.status[0]</c>) leads to inside <paramref name="root"/>, when it can be followed.</summary>
    private static Type? TypeAt(Type root, string? path)
    {
        var type = (Type?)root;
        foreach (Match part in PathPart().Matches(path ?? ""))
        {
            if (type is null) return null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            type = part.Groups["index"].Success ? ElementOf(type) : MemberOf(type, part.Groups["name"].Value);
        }

        return type;
    }

    private static string? ParentOf(string? path) =>
        path is null ? null : path[..Math.Max(path.LastIndexOfAny(['.', '[']), 1)];

    private static IEnumerable<string> MemberNames(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static Type? MemberOf(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?.PropertyType;

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))} (by name)";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
                => "a whole number (not in quotes)",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number (not in quotes)",
            TypeCode.DateTime => "a time in ISO 8601, such as 2026-11-25T08:00:00Z",
            _ when type == typeof(DateTimeOffset) => "a time in ISO 8601, such as 2026-11-25T08:00:00Z",
            _ when type == typeof(TimeSpan) => "a duration such as \"00:05:00\"",
            _ when type == typeof(Guid) => "a GUID",
            _ when type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) => "an array",
            _ => $"an object ({type.Name})",
        };
    }

    // "$.filter.status[0]" names "filter.status[0]"; "$[2].input" names "[2].input".
    private static string MemberPath(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;

    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex MissingMember();

    [GeneratedRegex(@"^The JSON property '(.+)' could not be mapped to any \.NET member contained in type '.+'\.$")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<name>[^']+)'\]")]
    private static partial Regex PathPart();
}
