namespace FlowDashboard.Authoring;

/// <summary>The response to an HTTP call the engine made for a step, as recorded.</summary>
/// <typeparam name="T">The body's type: <see cref="string"/> for the raw text, or a type the JSON body is read into.</typeparam>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">The response headers (content headers included), one value per name, comma-joined.</param>
/// <param name="Body">The body; default when empty (or, for a typed body, when the response is not a success).</param>
public sealed record CallResponse<T>(int Status, IReadOnlyDictionary<string, string> Headers, T? Body)
{
    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;
}
