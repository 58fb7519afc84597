using FlowDashboard.Authoring;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>Welcomes a new user, waits (3 days by default), then follows up with a personal message.</summary>
public sealed class CustomerOnboardingWorkflow(IEmailSender email, IOptions<ExamplesOptions> options) : IWorkflow<OnboardingInput>
{
    /// <inheritdoc />
    public async Task RunAsync(IWorkflowContext<OnboardingInput> context)
    {
        var user = context.Input;
        await context.RunAsync("send-welcome-email", ct => email.SendAsync(
            new EmailMessage(user.Email, $"Welcome, {user.Name}!", $"Hi {user.Name},\n\nthanks for signing up.", context.RunId, "send-welcome-email"), ct));

        await context.SleepAsync("wait-for-follow-up", options.Value.FollowUpDelay);

        var message = await context.RunAsync("generate-follow-up-message", _ => Task.FromResult(
            $"Hi {user.Name},\n\nit has been a few days since you joined. Is there anything we can help you with?"));

        await context.RunAsync("send-follow-up-email", ct => email.SendAsync(
            new EmailMessage(user.Email, "How is it going?", message, context.RunId, "send-follow-up-email"), ct));
    }
}
