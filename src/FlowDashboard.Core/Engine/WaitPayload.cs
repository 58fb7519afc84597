using System.Collections.Concurrent;
using System.Text.Json;

namespace FlowDashboard.Engine;

/// <summary>
/// What a wait for an event expects, recorded as the waiting step's input (<c>{"payloadType": ...}</c>): a notify is
/// bound to that type, as strictly as a run's input, before it wakes the run, so a payload that does not fit (a
/// misspelt member, a missing one) never reaches the body as a default value.
/// </summary>
internal static class WaitPayload
{
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>The waiting step's input, naming <paramref name="type"/>.</summary>
    public static string InputFor(Type type) =>
        JsonSerializer.Serialize(new Recorded($"{type.FullName ?? type.Name}, {type.Assembly.GetName().Name}"), FlowJson.Data);

    /// <summary>Binds <paramref name="payload"/> to the type the waiting step recorded.</summary>
    /// <param name="stepInput">The waiting step's input.</param>
    /// <param name="payload">The event's payload.</param>
    /// <param name="stored">What the step receives: the payload in canonical form.</param>
    /// <returns>Why it does not fit, by member; none when it fits, and none for a wait that recorded no type it can still find.</returns>
    public static IReadOnlyDictionary<string, string[]> Bind(string? stepInput, JsonElement payload, out string stored)
    {
        if (TypeOf(stepInput) is not { } type)
        {
            stored = payload.GetRawText();
            return new Dictionary<string, string[]>();
        }

        return InputBinder.TryBind(type, payload, out stored);
    }

    /// <summary>
    /// The type the waiting step recorded (for the console to show its shape); null for a wait recorded before types were,
    /// or a type this process no longer has.
    /// </summary>
    /// <param name="stepInput">The waiting step's input.</param>
    public static Type? TypeOf(string? stepInput)
    {
        if (stepInput is null) return null;
        var name = JsonSerializer.Deserialize<Recorded>(stepInput, FlowJson.Data)?.PayloadType;
        return name is null ? null : Types.GetOrAdd(name, Resolve);
    }

    // By simple assembly name, as recorded: a type recorded by an earlier build of the same assembly is the same type.
    private static Type? Resolve(string name) =>
        Type.GetType(
            name,
            wanted => AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == wanted.Name),
            typeResolver: null,
            throwOnError: false);

    private sealed record Recorded(string PayloadType);
}
