using System.Text.Json;
using FlowDashboard.Authoring;

namespace FlowDashboard.Engine;

/// <summary>A run's flow-control keys, taken from its input when it is triggered.</summary>
internal static class FlowKeys
{
    private const int Longest = 200;

    /// <summary>The key limits count by: the value of <see cref="FlowControl.KeyMember"/> in the input, or empty.</summary>
    public static string? KeyOf(FlowControl? flow, string input)
    {
        if (flow is null) return null;
        if (flow.KeyMember is not { } member) return "";
        using var document = JsonDocument.Parse(input);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return "";
        var value = document.RootElement.TryGetProperty(member, out var exact) ? exact
            : document.RootElement.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(member), out var camel) ? camel
            : default;
        var text = value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => "",
            JsonValueKind.String => value.GetString()!,
            _ => value.GetRawText(),
        };
        return text.Length <= Longest ? text : text[..Longest];
    }

    /// <summary>The unique key of a run of a one-run-per-key workflow, while it is not final.</summary>
    public static string? SingletonOf(string workflow, FlowControl? flow, string? key) =>
        flow is { SkipIfActive: true } ? $"{workflow}\u001f{key}" : null;
}
