using FlowDashboard.Host.Examples.CustomerOnboarding;
using FlowDashboard.Host.Examples.Email;
using FlowDashboard.Host.Examples.ImageProcessing;
using FlowDashboard.Host.Examples.OrderFulfillment;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowDashboard.Host.Examples;

/// <summary>Registers the example workflows and their services.</summary>
internal static class ExampleRegistration
{
    public static FlowDashboardBuilder AddExampleWorkflows(this FlowDashboardBuilder flows, IConfiguration configuration)
    {
        var services = flows.Services;
        services.AddOptions<ExamplesOptions>()
            .Bind(configuration.GetSection(ExamplesOptions.SectionName))
            .Validate(o => o.PaymentFailureRate is >= 0 and <= 1, "Examples:PaymentFailureRate must be between 0 and 1.")
            .Validate(o => o.FollowUpDelay >= TimeSpan.Zero, "Examples:FollowUpDelay may not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton<IEmailSender, FileEmailSender>();
        services.TryAddSingleton<InventoryStore>();
        services.TryAddSingleton<PaymentGateway>();
        services.AddHttpClient();

        return flows
            .AddWorkflow<CustomerOnboardingWorkflow>()
            .AddWorkflow<ImageProcessingWorkflow>()
            .AddWorkflow<OrderFulfillmentWorkflow>();
    }
}
