using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowDashboard.Queries;

/// <summary>A JSON skeleton of an input type (each public member with an empty value) for the "New run" dialog to start from.</summary>
internal static class InputTemplate
{
    public static string For(Type type) => Value(type, depth: 0)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";

    private static JsonNode? Value(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return JsonValue.Create("");
        if (type == typeof(bool)) return JsonValue.Create(false);
        if (type.IsEnum) return JsonValue.Create(Enum.GetNames(type).FirstOrDefault() ?? "");
        if (type.IsPrimitive || type == typeof(decimal)) return JsonValue.Create(0);
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return JsonValue.Create("2026-01-01T00:00:00Z");
        if (type == typeof(Guid)) return JsonValue.Create(Guid.Empty);
        if (type != typeof(object) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) return new JsonArray();
        if (type == typeof(object) || depth > 3) return null;

        var shape = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || p.SetMethod is not null))
        {
            shape[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = Value(property.PropertyType, depth + 1);
        }

        return shape;
    }
}
