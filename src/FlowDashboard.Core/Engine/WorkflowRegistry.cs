using FlowDashboard.Exceptions;

namespace FlowDashboard.Engine;

/// <summary>The registered workflows by name.</summary>
internal sealed class WorkflowRegistry(IEnumerable<WorkflowDefinition> definitions)
{
    private readonly Dictionary<string, WorkflowDefinition> byName =
        definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<WorkflowDefinition> All => byName.Values;

    /// <summary>The workflow, or null when none has that name (a run of a workflow no longer registered).</summary>
    public WorkflowDefinition? Find(string name) => byName.GetValueOrDefault(name);

    /// <exception cref="WorkflowNotFoundException">No workflow has that name.</exception>
    public WorkflowDefinition Get(string name) =>
        byName.TryGetValue(name, out var definition) ? definition : throw new WorkflowNotFoundException(name);
}
