namespace FlowDashboard.Authoring;

/// <summary>What a failure handler is told about a run that failed for good.</summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
/// <param name="RunId">The failed run.</param>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Input">The run's input.</param>
/// <param name="FailedStep">The step that failed, or null when the body itself threw.</param>
/// <param name="Error">The error message recorded for the run.</param>
/// <param name="ErrorType">The full name of the exception type, when known.</param>
/// <param name="Services">The scoped services of this execution.</param>
public sealed record WorkflowFailure<TInput>(
    string RunId,
    string Workflow,
    TInput Input,
    string? FailedStep,
    string Error,
    string? ErrorType,
    IServiceProvider Services);
