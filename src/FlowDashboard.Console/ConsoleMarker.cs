namespace FlowDashboard.Console;

/// <summary>Registered by <c>AddFlowDashboard</c>, so <c>MapFlowDashboard</c> can tell that the console's services are there.</summary>
internal sealed class ConsoleMarker;
