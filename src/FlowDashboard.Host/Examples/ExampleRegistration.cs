namespace FlowDashboard.Host.Examples;

/// <summary>Registers the example workflows and their services.</summary>
internal static class ExampleRegistration
{
    public static FlowDashboardBuilder AddExampleWorkflows(this FlowDashboardBuilder flows, IConfiguration configuration)
    {
        flows.Services.AddOptions<ExamplesOptions>().Bind(configuration.GetSection(ExamplesOptions.SectionName)).ValidateOnStart();
        return flows;
    }

    public static void MapExampleEndpoints(this IEndpointRouteBuilder app)
    {
    }
}
