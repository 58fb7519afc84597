namespace FlowDashboard.Console.Components.Shared;

/// <summary>Whose code a line of a stack trace is, as the error panel draws it.</summary>
internal enum StackLineKind
{
    /// <summary>A frame of the workflow's own code (or a library it calls): highlighted.</summary>
    Own,

    /// <summary>A frame of the engine, Hangfire or .NET: muted.</summary>
    Engine,

    /// <summary>Not a frame: the runtime's "--- End of stack trace from previous location ---" and the like.</summary>
    Other,
}
