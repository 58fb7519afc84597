using FlowDashboard.Host.Examples.CustomerOnboarding;
using FlowDashboard.Host.Examples.Email;
using FlowDashboard.Host.Examples.ImageProcessing;
using FlowDashboard.Host.Examples.OrderFulfillment;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowDashboard.Host.Examples;

/// <summary>Registers the example workflows and their services.</summary>
internal static class ExampleRegistration
{
    /// <summary>
    /// Adds the three example workflows, their options (the <c>Examples</c> section) and their services;
    /// services are added with <c>TryAdd</c>, so a host can register a real <see cref="IEmailSender"/> first.
    /// </summary>
    public static FlowDashboardBuilder AddExampleWorkflows(this FlowDashboardBuilder flows, IConfiguration configuration)
    {
        var services = flows.Services;
        services.AddOptions<ExamplesOptions>()
            .Bind(configuration.GetSection(ExamplesOptions.SectionName))
            .PostConfigure<IHostEnvironment>((o, host) =>
            {
                // Against the content root, not the working directory: data/ lands next to appsettings.json
                // wherever the host is started from.
                o.OutboxPath = Resolve(o.OutboxPath, host.ContentRootPath);
                o.LabelsPath = Resolve(o.LabelsPath, host.ContentRootPath);
                o.ImagesPath = Resolve(o.ImagesPath, host.ContentRootPath);
            })
            .Validate(o => o.PaymentFailureRate is >= 0 and <= 1, "Examples:PaymentFailureRate must be between 0 and 1.")
            .Validate(o => o.FollowUpDelay >= TimeSpan.Zero, "Examples:FollowUpDelay may not be negative.")
            .Validate(o => o.ApprovalThreshold >= 1, "Examples:ApprovalThreshold must be at least 1.")
            .Validate(o => o.ApprovalTimeout > TimeSpan.Zero, "Examples:ApprovalTimeout must be more than zero.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.OutboxPath), "Examples:OutboxPath must name a folder.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.LabelsPath), "Examples:LabelsPath must name a folder.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ImagesPath), "Examples:ImagesPath must name a folder.")
            .ValidateOnStart();

        services.TryAddSingleton<IEmailSender, FileEmailSender>();
        services.TryAddSingleton(_ => new InventoryStore(HostStore.ConnectionString(configuration), HostStore.IsPostgreSql(configuration)));
        services.AddHostedService<InventorySetup>();
        services.TryAddSingleton<PaymentGateway>();
        services.TryAddSingleton<ImageFetcher>();
        services.TryAddSingleton<LocalAddress>();
        services.AddHttpClient();

        return flows
            .AddWorkflow<CustomerOnboardingWorkflow>()
            .AddWorkflow<ImageProcessingWorkflow>()
            .AddWorkflow<OrderFulfillmentWorkflow>();
    }

    private static string Resolve(string path, string contentRoot) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, contentRoot);
}
