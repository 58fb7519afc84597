using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowDashboard.Queries;

/// <summary>
/// A type as its JSON in a line, such as <c>Approval { approved: bool, by: string? }</c>: what an operator typing a value
/// of it needs besides the template, which shows the members but not their types or which may be null.
/// </summary>
internal static class TypeShape
{
    /// <summary>The type's name without a generic arity: <c>Approval</c>, <c>List</c>.</summary>
    public static string NameOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }

    /// <summary>The type in a line: a scalar by its JSON kind, an object by its name and members (one level deep).</summary>
    public static string Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(type) is { } scalar) return scalar;

        var nullability = new NullabilityInfoContext();
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => (p.CanWrite || p.SetMethod is not null) && p.GetIndexParameters().Length == 0)
            .Select(p => $"{JsonName(p)}: {Describe(p.PropertyType)}{(MayBeNull(p, nullability) ? "?" : "")}")
            .ToList();
        return members.Count == 0 ? $"{NameOf(type)} {{}}" : $"{NameOf(type)} {{ {string.Join(", ", members)} }}";
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return Scalar(type) ?? NameOf(type);
    }

    /// <summary>A type that is not an object with members, by what its JSON is; null for an object.</summary>
    private static string? Scalar(Type type)
    {
        if (type.IsEnum) return string.Join(" | ", Enum.GetNames(type).Select(n => $"\"{n}\""));
        if (type == typeof(string) || type == typeof(char)) return "string";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal)) return "number";
        if (type.IsPrimitive) return "integer";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return "date-time";
        if (type == typeof(DateOnly)) return "date";
        if (type == typeof(TimeOnly)) return "time";
        if (type == typeof(TimeSpan)) return "duration";
        if (type == typeof(Guid)) return "guid";
        if (type == typeof(object) || type == typeof(JsonElement)) return "any";
        if ((Generic(type, typeof(IDictionary<,>)) ?? Generic(type, typeof(IReadOnlyDictionary<,>))) is { } map) return $"{{ [key]: {Describe(map[1])} }}";
        if (type.IsArray) return $"{Describe(type.GetElementType()!)}[]";
        if (Generic(type, typeof(IEnumerable<>)) is { } items) return $"{Describe(items[0])}[]";
        return null;
    }

    private static Type[]? Generic(Type type, Type definition) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    // A payload is bound respecting nullable annotations: a member that may not be null must be sent with a value.
    private static bool MayBeNull(PropertyInfo property, NullabilityInfoContext nullability) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && nullability.Create(property).WriteState == NullabilityState.Nullable);
}
