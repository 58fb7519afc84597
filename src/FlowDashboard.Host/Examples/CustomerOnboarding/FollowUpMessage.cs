namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>What the message service answers: the follow-up text to send.</summary>
/// <param name="Text">The message body.</param>
public sealed record FollowUpMessage(string Text);
