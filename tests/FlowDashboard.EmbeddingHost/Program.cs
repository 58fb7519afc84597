using FlowDashboard.EmbeddingHost;
using Microsoft.AspNetCore.Authentication;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization(o =>
{
    o.AddPolicy("flows-view", p => p.RequireAuthenticatedUser());
    o.AddPolicy("flows-operate", p => p.RequireRole("ops"));
});

// The two FlowDashboard lines: this one and MapFlowDashboard below. The store is SQLite unless
// --FlowDashboard:Store=PostgreSql says otherwise (an app would simply call the one it uses).
var flows = builder.Configuration.GetConnectionString("Flows");
var onPostgreSql = string.Equals(builder.Configuration["FlowDashboard:Store"], "PostgreSql", StringComparison.OrdinalIgnoreCase);
builder.Services.AddFlowDashboard(o =>
    {
        if (onPostgreSql) o.UsePostgreSql(flows ?? throw new InvalidOperationException("FlowDashboard:Store=PostgreSql needs ConnectionStrings:Flows."));
        else o.UseSqlite(flows ?? "Data Source=embedding-host.db");
        o.ViewPolicy = "flows-view";
        o.OperatePolicy = "flows-operate";
    })
    .AddWorkflow<PingInput, string>("ping", async ctx =>
    {
        await ctx.SleepAsync("nap", TimeSpan.FromSeconds(ctx.Input.NapSeconds));
        return await ctx.RunAsync("pong", _ => Task.FromResult($"pong {ctx.Input.Name}"));
    });

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", () => "host home");
app.MapFlowDashboard("/flows");
app.MapFallback(() => "host fallback");

app.Run();

/// <summary>The embedding host; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
