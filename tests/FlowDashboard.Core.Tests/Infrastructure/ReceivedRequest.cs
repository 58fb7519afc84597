namespace FlowDashboard.Core.Tests.Infrastructure;

/// <summary>A request as the loopback server received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Headers">Its headers, looked up ignoring case.</param>
/// <param name="Body">Its body as text.</param>
public sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string> Headers, string Body);
