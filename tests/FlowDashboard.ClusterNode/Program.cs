using FlowDashboard.ClusterNode;

var builder = WebApplication.CreateBuilder(args);

// Every node of a test is this app on the same store: SQLite (one node) or PostgreSQL (several).
var flows = builder.Configuration.GetConnectionString("Flows") ?? throw new InvalidOperationException("Give ConnectionStrings:Flows.");
var onPostgreSql = string.Equals(builder.Configuration["FlowDashboard:Store"], "PostgreSql", StringComparison.OrdinalIgnoreCase);
var effects = builder.Configuration["Cluster:EffectsPath"] ?? throw new InvalidOperationException("Give Cluster:EffectsPath.");
Directory.CreateDirectory(effects);

builder.Services
    .AddFlowDashboard(o =>
    {
        if (onPostgreSql) o.UsePostgreSql(flows);
        else o.UseSqlite(flows);
    })
    .AddWorkflow<int, int>("ten-steps", async ctx =>
    {
        var done = 0;
        for (var i = 1; i <= 10; i++)
        {
            var step = $"step-{i}";
            done += await ctx.RunAsync(step, async ct =>
            {
                // Some work first, so that a kill lands in steps, not only between them; the side effect last.
                await Task.Delay(Random.Shared.Next(10, 50), ct);
                SideEffects.Record(effects, ctx.RunId, step);
                return 1;
            });
        }

        return done;
    });

var app = builder.Build();
app.MapFlowDashboard("/flows");
app.Run();
