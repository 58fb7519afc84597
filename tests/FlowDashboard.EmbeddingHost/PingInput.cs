namespace FlowDashboard.EmbeddingHost;

/// <summary>The input of the host's one workflow.</summary>
/// <param name="Name">Who to answer.</param>
/// <param name="NapSeconds">How long to sleep before answering; 0 answers at once.</param>
public sealed record PingInput(string Name, int NapSeconds = 0);
