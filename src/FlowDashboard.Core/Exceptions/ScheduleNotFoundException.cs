namespace FlowDashboard.Exceptions;

/// <summary>No schedule has the given name.</summary>
/// <param name="name">The name asked for.</param>
public sealed class ScheduleNotFoundException(string name) : FlowDashboardException($"No schedule named '{name}' exists.")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
