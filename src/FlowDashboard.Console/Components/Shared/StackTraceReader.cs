namespace FlowDashboard.Console.Components.Shared;

/// <summary>
/// Splits a recorded stack trace into its lines and tells the workflow's own frames from the engine's and the
/// framework's, so the error panel can point at the code an author wrote and mute the machinery around it.
/// </summary>
internal static class StackTraceReader
{
    // The engine's namespaces one by one rather than "FlowDashboard.": the host's example workflows live in
    // FlowDashboard.Host.Examples, and their frames are exactly the ones an operator looks for.
    // lambda_method frames are expression trees compiled at run time (EF Core, DI): no one's source.
    private static readonly string[] NotOwn =
    [
        "System.", "Microsoft.", "Hangfire.", "Npgsql.", "lambda_method",
        "FlowDashboard.Authoring.", "FlowDashboard.Client.", "FlowDashboard.Console.", "FlowDashboard.Engine.",
        "FlowDashboard.Exceptions.", "FlowDashboard.Execution.", "FlowDashboard.Operations.", "FlowDashboard.PostgreSql.",
        "FlowDashboard.Queries.", "FlowDashboard.Scheduling.", "FlowDashboard.Sqlite.", "FlowDashboard.States.",
        "FlowDashboard.Store.", "FlowDashboard.Transitions.", "FlowDashboard.FlowDashboardBuilder.", "FlowDashboard.FlowDashboardOptions.",
    ];

    /// <summary>The trace's non-empty lines in order; none for a missing trace.</summary>
    public static IReadOnlyList<StackLine> Read(string? stackTrace) =>
        string.IsNullOrWhiteSpace(stackTrace)
            ? []
            : stackTrace.Split('\n').Where(line => !string.IsNullOrWhiteSpace(line)).Select(Classify).ToList();

    /// <summary>
    /// One line: a frame (<c>at Namespace.Type.Method(…) in file:line n</c>) is the workflow's own unless its method is in
    /// .NET, Hangfire or the engine; anything else the runtime writes between frames is <see cref="StackLineKind.Other"/>.
    /// </summary>
    public static StackLine Classify(string line)
    {
        var text = line.Trim();
        if (!text.StartsWith("at ", StringComparison.Ordinal)) return new StackLine(text, StackLineKind.Other);
        var method = text[3..];
        var engine = NotOwn.Any(prefix => method.StartsWith(prefix, StringComparison.Ordinal));
        return new StackLine(text, engine ? StackLineKind.Engine : StackLineKind.Own);
    }
}
