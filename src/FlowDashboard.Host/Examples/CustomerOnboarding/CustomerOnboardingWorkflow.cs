using FlowDashboard.Authoring;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>
/// Welcomes a new user, sleeps (3 days by default, <see cref="ExamplesOptions.FollowUpDelay"/>) without
/// holding a thread, then composes and sends a personal follow-up.
/// </summary>
public sealed class CustomerOnboardingWorkflow(IEmailSender email, IOptions<ExamplesOptions> options) : IWorkflow<OnboardingInput>
{
    private const string SendWelcome = "send-welcome-email";
    private const string SendFollowUp = "send-follow-up-email";

    /// <inheritdoc />
    public async Task RunAsync(IWorkflowContext<OnboardingInput> context)
    {
        var user = context.Input;
        await context.RunAsync(SendWelcome, ct => email.SendAsync(
            new EmailMessage(user.Email, $"Welcome, {user.Name}!", $"Hi {user.Name},\n\nthanks for signing up. We are glad to have you.", context.RunId, SendWelcome), ct));

        await context.SleepAsync("wait-for-follow-up", options.Value.FollowUpDelay);

        // A step of its own, so the text is recorded (and shown with the run) and the send step only sends.
        var message = await context.RunAsync("generate-follow-up-message", _ => Task.FromResult(
            $"Hi {user.Name},\n\nit has been a few days since you joined. How is it going so far? " +
            "If anything is unclear or missing, just reply to this email: a person reads every answer."));

        await context.RunAsync(SendFollowUp, ct => email.SendAsync(
            new EmailMessage(user.Email, $"How is it going, {user.Name}?", message, context.RunId, SendFollowUp), ct));
    }
}
