namespace FlowDashboard.Console;

/// <summary>
/// Registered by <c>AddFlowDashboard</c>, so <c>MapFlowDashboard</c> can tell that the console's services are
/// there; it remembers where FlowDashboard was mounted, for the OpenAPI document's server address.
/// </summary>
internal sealed class ConsoleMarker
{
    /// <summary>The name of FlowDashboard's own OpenAPI document (the host may have its own).</summary>
    public const string OpenApiDocument = "flowdashboard";

    /// <summary>The prefix <c>MapFlowDashboard</c> mounted the console at, such as <c>/flows</c>.</summary>
    public string Prefix { get; set; } = "";
}
