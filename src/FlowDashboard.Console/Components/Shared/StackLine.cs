namespace FlowDashboard.Console.Components.Shared;

/// <summary>One line of a stack trace, trimmed, with whose code it is.</summary>
/// <param name="Text">The line without its indentation, such as <c>at Shop.Inventory.Reserve(Int32 quantity) in /src/Inventory.cs:line 12</c>.</param>
/// <param name="Kind">Whose code it is.</param>
internal sealed record StackLine(string Text, StackLineKind Kind);
