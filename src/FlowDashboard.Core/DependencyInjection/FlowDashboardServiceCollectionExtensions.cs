using FlowDashboard;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using FlowDashboard.Store;
using FlowDashboard.Telemetry;
using FlowDashboard.Transitions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds FlowDashboard's engine to a host; web hosts call <c>AddFlowDashboard</c> from FlowDashboard.Console, which adds this too.</summary>
public static class FlowDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, its store, its Hangfire server and the query and operations services, without the
    /// console (for worker services); configured from the <c>FlowDashboard</c> section and then by
    /// <paramref name="configure"/>. Chain <c>AddWorkflow</c> on the result. Safe to call once per host.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the store (<c>o.UseSqlite("Data Source=flows.db")</c> from FlowDashboard.Sqlite) and other options.</param>
    public static FlowDashboardBuilder AddFlowDashboardEngine(this IServiceCollection services, Action<FlowDashboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FlowDashboardOptions>()
            .BindConfiguration(FlowDashboardOptions.SectionName)
            .Configure(configure)
            .Validate(o => o.WorkerCount is >= 1 and <= 1000, "FlowDashboard:WorkerCount must be between 1 and 1000.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(3), "FlowDashboard:LeaseDuration must be at least 00:00:03.")
            .Validate(o => o.ReconcileInterval >= TimeSpan.FromSeconds(1), "FlowDashboard:ReconcileInterval must be at least 00:00:01.")
            .Validate(o => o.StartupTimeout >= TimeSpan.FromSeconds(1), "FlowDashboard:StartupTimeout must be at least 00:00:01.")
            .Validate(o => o.SchedulePollingInterval >= TimeSpan.FromMilliseconds(100), "FlowDashboard:SchedulePollingInterval must be at least 00:00:00.1.")
            .Validate(o => o.ConsoleRefreshInterval >= TimeSpan.FromMilliseconds(100), "FlowDashboard:ConsoleRefreshInterval must be at least 00:00:00.1.")
            .Validate(o => o.HealthBacklogWait > TimeSpan.Zero, "FlowDashboard:HealthBacklogWait must be more than 00:00:00.")
            .Validate(o => o.Retention.Completed is null || o.Retention.Completed > TimeSpan.Zero, "FlowDashboard:Retention:Completed must be positive (or left out to keep completed runs).")
            .Validate(o => o.Retention.Failed is null || o.Retention.Failed > TimeSpan.Zero, "FlowDashboard:Retention:Failed must be positive (or left out to keep failed runs).")
            .Validate(o => o.Retention.Cancelled is null || o.Retention.Cancelled > TimeSpan.Zero, "FlowDashboard:Retention:Cancelled must be positive (or left out to keep cancelled runs).")
            .Validate(o => o.Retention.Interval >= TimeSpan.FromSeconds(1), "FlowDashboard:Retention:Interval must be at least 00:00:01.")
            .Validate(o => o.Retention.BatchSize is >= 1 and <= 5000, "FlowDashboard:Retention:BatchSize must be between 1 and 5000.")
            .ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlowDashboardOptions>, StoreValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<FlowDashboardOptions>>().Value.Store
            ?? throw new InvalidOperationException("FlowDashboard has no store: choose one in AddFlowDashboard, such as o.UseSqlite(\"Data Source=flows.db\")."));
        services.AddPooledDbContextFactory<FlowDbContext>((provider, db) =>
        {
            provider.GetRequiredService<IStoreProvider>().Configure(db);
            QuietStoreLog(db);
        });

        // Each host owns its Hangfire storage and client: Hangfire's static JobStorage.Current is never used,
        // so several hosts can share a process (as tests do).
        services.TryAddSingleton(provider => provider.GetRequiredService<IStoreProvider>().CreateJobStorage(provider));
        services.TryAddSingleton<IBackgroundJobClient>(provider => new BackgroundJobClient(provider.GetRequiredService<JobStorage>(), EngineJobFilters.Provider));
        services.TryAddSingleton<WorkflowRegistry>();
        services.TryAddSingleton<CommitQueue>();
        services.TryAddSingleton<RunWriter>();
        services.TryAddSingleton<ExecutionTransitions>();
        services.TryAddSingleton<WaitTransitions>();
        services.TryAddSingleton<CallTransitions>();
        services.TryAddSingleton<FlowControlTransitions>();
        services.TryAddSingleton<PauseTransitions>();
        services.TryAddSingleton<PauseRegistry>();
        services.TryAddSingleton<OperatorTransitions>();
        services.TryAddSingleton<JobDispatcher>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<RetentionPurger>();
        services.TryAddSingleton<IRecurringJobManager>(provider => new RecurringJobManager(provider.GetRequiredService<JobStorage>(), EngineJobFilters.Provider));
        services.TryAddSingleton<IWorkflowClient, WorkflowClient>();
        services.TryAddSingleton<ScheduleFirer>();
        services.TryAddSingleton<ScheduleRegistrar>();
        services.TryAddSingleton<IScheduleService, ScheduleService>();
        services.TryAddTransient<ScheduleFireJob>();
        services.TryAddTransient<CallJob>();
        services.AddHttpClient(CallJob.ClientName);
        services.TryAddSingleton<RunChangeFeed>();

        // The engine's instruments, on the host's meter factory (AddMetrics is idempotent; web hosts have it already).
        services.AddMetrics();
        services.TryAddSingleton<FlowMetrics>();
        services.TryAddSingleton<IRunQueryService, RunQueryService>();
        services.TryAddSingleton<RunActions>();
        services.TryAddSingleton<BulkOperationRunner>();
        services.TryAddSingleton<OperatorGate>();
        services.TryAddSingleton<IOperationsService, OperationsService>();

        // The operations service checks the operate policy itself, also in hosts without ASP.NET Core.
        services.AddAuthorizationCore();
        services.TryAddTransient<WorkflowRunner>();
        services.AddHostedService<EngineHostedService>();

        // ASP.NET Core's health checks: a host maps them where it likes (the standalone host at /health).
        services.AddHealthChecks().AddCheck<FlowDashboardHealthCheck>("flowdashboard", tags: ["flowdashboard"]);
        return new FlowDashboardBuilder(services);
    }

    /// <summary>
    /// The engine's own EF Core events that log at Information (every command it runs, every context it opens, each
    /// migration step) log at Debug instead: a host at the default Information level would otherwise log a line for
    /// every step. The engine says what an operator needs itself (the migrations it applies, the store it uses). A host
    /// that wants them sets <c>Microsoft.EntityFrameworkCore</c> categories to Debug.
    /// </summary>
    private static void QuietStoreLog(DbContextOptionsBuilder db) =>
        db.ConfigureWarnings(warnings => warnings.Log(
            (RelationalEventId.CommandExecuted, LogLevel.Debug),
            (CoreEventId.ContextInitialized, LogLevel.Debug),
            (RelationalEventId.MigrationApplying, LogLevel.Debug),
            (RelationalEventId.MigrationsNotApplied, LogLevel.Debug),
            (RelationalEventId.AcquiringMigrationLock, LogLevel.Debug)));
}
