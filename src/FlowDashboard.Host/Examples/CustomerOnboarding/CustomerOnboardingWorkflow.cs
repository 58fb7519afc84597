using FlowDashboard.Authoring;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>
/// Welcomes a new user, sleeps (3 days by default, <see cref="ExamplesOptions.FollowUpDelay"/>) without
/// holding a thread, has a message service write a personal follow-up (an HTTP call the engine makes in a
/// job of its own, as one would call an AI API), and sends it.
/// </summary>
public sealed class CustomerOnboardingWorkflow(IEmailSender email, LocalAddress local, IOptions<ExamplesOptions> options) : IWorkflow<OnboardingInput>
{
    private const string SendWelcome = "send-welcome-email";
    private const string SendFollowUp = "send-follow-up-email";

    // A message service that answers with an error is tried again, three times at most.
    private static readonly CallOptions Generate = new()
    {
        FailOnNonSuccess = true,
        Timeout = TimeSpan.FromSeconds(30),
        Retry = new RetryPolicy { Retries = 3, InitialDelay = TimeSpan.FromSeconds(1) },
    };

    /// <inheritdoc />
    public async Task RunAsync(IWorkflowContext<OnboardingInput> context)
    {
        var user = context.Input;
        await context.RunAsync(SendWelcome, ct => email.SendAsync(
            new EmailMessage(user.Email, $"Welcome, {user.Name}!", $"Hi {user.Name},\n\nthanks for signing up. We are glad to have you.", context.RunId, SendWelcome), ct));

        await context.SleepAsync("wait-for-follow-up", options.Value.FollowUpDelay);

        var url = options.Value.MessageServiceUrl ?? local.Of("/examples/messages/follow-up");
        var reply = await context.CallAsync<FollowUpMessage>("generate-follow-up-message", HttpMethod.Post, url, new { user.Name, user.Email }, Generate);

        await context.RunAsync(SendFollowUp, ct => email.SendAsync(
            new EmailMessage(user.Email, $"How is it going, {user.Name}?", reply.Body!.Text, context.RunId, SendFollowUp), ct));
    }
}
