namespace FlowDashboard.Host.Examples.Email;

/// <summary>An email to send.</summary>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The plain-text body.</param>
/// <param name="RunId">The run that sends it: with <paramref name="Step"/>, the message's idempotency key (its Message-ID).</param>
/// <param name="Step">The step that sends it.</param>
public sealed record EmailMessage(string To, string Subject, string Body, string RunId, string Step);
