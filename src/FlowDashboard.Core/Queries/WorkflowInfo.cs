namespace FlowDashboard.Queries;

/// <summary>A registered workflow, as the console's "New run" dialog offers it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="InputType">The name of its input type.</param>
/// <param name="InputTemplate">A JSON skeleton of the input with every member, to start editing from.</param>
public sealed record WorkflowInfo(string Name, string InputType, string InputTemplate);
