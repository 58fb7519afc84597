using FlowDashboard.Host.Examples;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddFlowDashboard(o => o.UseSqlite(builder.Configuration.GetConnectionString("Flows") ?? "Data Source=flows.db"))
    .AddExampleWorkflows(builder.Configuration);

var app = builder.Build();

app.MapGet("/", () => Results.Redirect("/flows/api/workflows"));
app.MapFlowDashboard("/flows");
app.MapExampleEndpoints();

app.Run();

/// <summary>The standalone host; public so tests can start it.</summary>
public partial class Program;
