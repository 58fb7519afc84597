namespace FlowDashboard.Authoring;

/// <summary>Names a workflow class; without it the name comes from the class name.</summary>
/// <param name="name">The workflow's name, as used in the HTTP API and the console.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute(string name) : Attribute
{
    /// <summary>The workflow's name.</summary>
    public string Name { get; } = name;
}
