using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlowDashboard.Exceptions;

namespace FlowDashboard.Engine;

/// <summary>Binds JSON to a workflow's input type and validates it, so bad input never becomes a run.</summary>
internal static partial class InputBinder
{
    private const string MissingRequired = "missing required properties including: ";

    /// <summary>Returns the input re-serialized in canonical form.</summary>
    /// <exception cref="InvalidWorkflowInputException">It does not bind or fails its data annotations.</exception>
    public static string Bind<TInput>(string workflow, JsonElement json)
    {
        TInput? input;
        try
        {
            input = json.Deserialize<TInput>(FlowJson.StrictInput);
        }
        catch (JsonException ex)
        {
            throw new InvalidWorkflowInputException(workflow, Errors(ex));
        }

        if (input is null)
        {
            if (default(TInput) is null && typeof(TInput) != typeof(object) && Nullable.GetUnderlyingType(typeof(TInput)) is null)
            {
                throw new InvalidWorkflowInputException(workflow, new Dictionary<string, string[]>
                {
                    [""] = [$"An input of type {typeof(TInput).Name} is required."],
                });
            }

            return "null";
        }

        // Box once: the validator insists on the very instance its context was made for.
        object boxed = input;
        var results = new List<ValidationResult>();
        if (!IsScalar(typeof(TInput)) && !Validator.TryValidateObject(boxed, new ValidationContext(boxed), results, validateAllProperties: true))
        {
            var errors = results
                .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: CamelCase(m), r.ErrorMessage)))
                .GroupBy(e => e.Member)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "Invalid.").ToArray());
            throw new InvalidWorkflowInputException(workflow, errors);
        }

        return JsonSerializer.Serialize(input, FlowJson.Data);
    }

    private static Dictionary<string, string[]> Errors(JsonException error)
    {
        // System.Text.Json reports missing required members in one message; each gets its own entry.
        var message = WithoutPosition(error.Message);
        var cut = message.IndexOf(MissingRequired, StringComparison.Ordinal);
        if (cut >= 0)
        {
            var members = MissingMember().Matches(message[(cut + MissingRequired.Length)..]).Select(m => m.Groups[1].Value).ToList();
            if (members.Count > 0) return members.ToDictionary(m => m, m => new[] { $"The {m} field is required." });
        }

        return new Dictionary<string, string[]> { [MemberPath(error.Path)] = [message] };
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(object) || Nullable.GetUnderlyingType(type) is not null;

    private static string MemberPath(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex MissingMember();

    private static string CamelCase(string name) =>
        name.Length == 0 ? name : JsonNamingPolicy.CamelCase.ConvertName(name);
}
