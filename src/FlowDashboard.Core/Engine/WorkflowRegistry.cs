using FlowDashboard.Exceptions;

namespace FlowDashboard.Engine;

/// <summary>The registered workflows by name.</summary>
internal sealed class WorkflowRegistry(IEnumerable<WorkflowDefinition> definitions)
{
    private readonly Dictionary<string, WorkflowDefinition> byName =
        definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<WorkflowDefinition> All => byName.Values;

    /// <exception cref="WorkflowNotFoundException">No workflow has that name.</exception>
    public WorkflowDefinition Get(string name) =>
        byName.TryGetValue(name, out var definition) ? definition : throw new WorkflowNotFoundException(name);
}
