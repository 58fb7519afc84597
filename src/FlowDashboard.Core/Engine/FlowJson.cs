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

    /// <summary>For binding a run's input: unknown members, missing required members and nulls in non-nullable members are errors.</summary>
    public static readonly JsonSerializerOptions StrictInput = new(Data)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
