using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowDashboard.Engine;

/// <summary>The JSON settings of inputs, step results and the HTTP API: web defaults, enums by name.</summary>
internal static class FlowJson
{
    /// <summary>For step results, outputs and API responses.</summary>
    public static readonly JsonSerializerOptions Data = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// For what comes from outside (a run's input, an event's payload, a request body): unknown members, missing
    /// required members, nulls in non-nullable members, numbers sent as strings and enums sent as numbers are errors.
    /// </summary>
    public static readonly JsonSerializerOptions StrictInput = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
