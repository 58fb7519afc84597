using FlowDashboard.Host;
using FlowDashboard.Host.Examples;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

// The console's files (MudBlazor's, the framework's, its own) come from the build output; outside Development
// ASP.NET Core serves them only when asked to, and a `dotnet run` of this host is not a published app.
builder.WebHost.UseStaticWebAssets();

builder.Services
    .AddFlowDashboard(o => o.UseConfiguredStore(builder.Configuration))
    .AddExampleWorkflows(builder.Configuration);

var app = builder.Build();

app.MapGet("/", () => Results.Redirect("/flows"));
app.MapFlowDashboard("/flows");
app.MapExampleEndpoints();

// AddFlowDashboard registered the check; 200 when Healthy or Degraded, 503 when Unhealthy (the default status codes).
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

app.Run();

/// <summary>The standalone host; public so tests can start it.</summary>
public partial class Program;
