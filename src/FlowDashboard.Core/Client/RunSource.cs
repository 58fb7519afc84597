using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowDashboard.Client;

/// <summary>
/// Who or what started a run, recorded on it and shown with it: one of FlowDashboard's own sources, or a name of the
/// host's own (a string converts to it: <c>Source = "webhook"</c>). Written as its name in the store and in JSON.
/// </summary>
[JsonConverter(typeof(RunSourceJsonConverter))]
public readonly record struct RunSource
{
    /// <summary>The longest name the store keeps.</summary>
    public const int MaxLength = 200;

    private readonly string? name;

    /// <summary>A source named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than <see cref="MaxLength"/>.</exception>
    public RunSource(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxLength) throw new ArgumentException($"A run's source is at most {MaxLength} characters.", nameof(name));
        this.name = name;
    }

    /// <summary>Code of the host's own called the client (the default).</summary>
    public static RunSource Code { get; } = new("code");

    /// <summary>A request to the HTTP API.</summary>
    public static RunSource Api { get; } = new("api");

    /// <summary>An operator, from the console.</summary>
    public static RunSource Console { get; } = new("console");

    /// <summary>A schedule's fire time (the run's source reference names the schedule).</summary>
    public static RunSource Schedule { get; } = new("schedule");

    /// <summary>A parent run invoking it as a child (the source reference names the parent).</summary>
    public static RunSource Parent { get; } = new("parent");

    /// <summary>An operator's restart of a run (the source reference names the original).</summary>
    public static RunSource Restart { get; } = new("restart");

    /// <summary>An operator's rerun of a run from one of its steps (the source reference names the original).</summary>
    public static RunSource Rerun { get; } = new("rerun");

    /// <summary>The source's name, as stored.</summary>
    public string Name => name ?? "code";

    /// <summary>A source of the host's own, by name.</summary>
    public static implicit operator RunSource(string name) => new(name);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class RunSourceJsonConverter : JsonConverter<RunSource>
    {
        public override RunSource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A run's source is a string."));

        public override void Write(Utf8JsonWriter writer, RunSource value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
    }
}
