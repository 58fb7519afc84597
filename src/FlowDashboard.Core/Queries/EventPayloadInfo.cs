namespace FlowDashboard.Queries;

/// <summary>What a wait for an event expects, as the console's Notify dialog shows it.</summary>
/// <param name="TypeName">The payload type's name, such as <c>Approval</c>.</param>
/// <param name="Shape">The type with its members' JSON names and types in a line, such as <c>Approval { approved: bool, by: string? }</c>.</param>
/// <param name="Template">A JSON example of the type with every member, to start editing from.</param>
public sealed record EventPayloadInfo(string TypeName, string Shape, string Template);
