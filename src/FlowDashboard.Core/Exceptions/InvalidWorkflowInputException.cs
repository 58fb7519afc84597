namespace FlowDashboard.Exceptions;

/// <summary>A run's input does not bind to the workflow's input type, or fails its validation.</summary>
/// <param name="workflow">The workflow whose input was rejected.</param>
/// <param name="errors">The errors, keyed by member path (an empty key for the input as a whole).</param>
public sealed class InvalidWorkflowInputException(string workflow, IReadOnlyDictionary<string, string[]> errors)
    : FlowDashboardException($"The input is not valid for workflow '{workflow}': {ErrorText.Join(errors)}")
{
    /// <summary>The workflow whose input was rejected.</summary>
    public string Workflow { get; } = workflow;

    /// <summary>The errors, keyed by member path (an empty key for the input as a whole).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
