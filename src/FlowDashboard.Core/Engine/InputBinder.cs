using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace FlowDashboard.Engine;

/// <summary>
/// Binds JSON from outside (a run's input, an event's payload) to its type strictly and validates it, so what
/// does not fit never becomes a run or wakes one.
/// </summary>
internal static class InputBinder
{
    /// <summary>Binds <paramref name="json"/> to <paramref name="type"/> and validates it.</summary>
    /// <param name="type">What the JSON must be.</param>
    /// <param name="json">What arrived.</param>
    /// <param name="canonical">The value re-serialized in canonical form, when it binds.</param>
    /// <returns>The errors by member path (an empty key for the value as a whole); none when it binds.</returns>
    public static IReadOnlyDictionary<string, string[]> TryBind(Type type, JsonElement json, out string canonical)
    {
        var errors = TryBindValue(type, json, out var value);
        canonical = errors.Count == 0 && value is not null ? JsonSerializer.Serialize(value, type, FlowJson.Data) : "null";
        return errors;
    }

    /// <summary>Binds <paramref name="json"/> to <typeparamref name="T"/> and validates it (a request body of the HTTP API).</summary>
    /// <returns>The errors by member path; none when it binds.</returns>
    public static IReadOnlyDictionary<string, string[]> TryBind<T>(JsonElement json, out T? value)
    {
        var errors = TryBindValue(typeof(T), json, out var bound);
        value = errors.Count == 0 ? (T?)bound : default;
        return errors;
    }

    private static Dictionary<string, string[]> TryBindValue(Type type, JsonElement json, out object? value)
    {
        try
        {
            value = json.Deserialize(type, FlowJson.StrictInput);
        }
        catch (JsonException ex)
        {
            value = null;
            return BindingErrors.Of(ex, type);
        }

        if (value is null)
        {
            return !type.IsValueType && type != typeof(object)
                ? new Dictionary<string, string[]> { [""] = [$"A value of type {type.Name} is required, not null."] }
                : new Dictionary<string, string[]>();
        }

        var results = new List<ValidationResult>();
        if (!IsScalar(type) && !Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            return results
                .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: CamelCase(m), r.ErrorMessage)))
                .GroupBy(e => e.Member)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "Invalid.").ToArray());
        }

        return new Dictionary<string, string[]>();
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(object) || type == typeof(JsonElement)
        || Nullable.GetUnderlyingType(type) is not null;

    private static string CamelCase(string name) =>
        name.Length == 0 ? name : JsonNamingPolicy.CamelCase.ConvertName(name);
}
