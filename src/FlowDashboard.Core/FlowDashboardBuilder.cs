using System.Reflection;
using System.Text.RegularExpressions;
using FlowDashboard.Authoring;
using FlowDashboard.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowDashboard;

/// <summary>Registers workflows; returned by <c>AddFlowDashboard</c>.</summary>
public sealed partial class FlowDashboardBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    internal FlowDashboardBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a workflow written as a delegate.</summary>
    /// <param name="name">Its name: letters, digits, <c>- _ .</c>, up to 100 characters.</param>
    /// <param name="body">The body, replayed from the top on every resumption.</param>
    /// <param name="configure">Retries and the failure handler.</param>
    public FlowDashboardBuilder AddWorkflow<TInput>(string name, Func<IWorkflowContext<TInput>, Task> body, Action<WorkflowOptions<TInput>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return AddWorkflow<TInput, object?>(name, async context =>
        {
            await body(context);
            return null;
        }, configure);
    }

    /// <summary>Registers a workflow written as a delegate whose result becomes the run's output.</summary>
    /// <param name="name">Its name: letters, digits, <c>- _ .</c>, up to 100 characters.</param>
    /// <param name="body">The body, replayed from the top on every resumption.</param>
    /// <param name="configure">Retries and the failure handler.</param>
    public FlowDashboardBuilder AddWorkflow<TInput, TOutput>(string name, Func<IWorkflowContext<TInput>, Task<TOutput>> body, Action<WorkflowOptions<TInput>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var options = new WorkflowOptions<TInput>();
        configure?.Invoke(options);
        var onFailure = options.OnFailure;
        return Add(new WorkflowDefinition<TInput, TOutput>(
            Checked(name), options, (_, context) => body(context),
            onFailure is null ? null : (_, failure, ct) => onFailure(failure, ct)));
    }

    /// <summary>
    /// Registers a workflow class implementing <see cref="IWorkflow{TInput}"/> or <see cref="IWorkflow{TInput, TOutput}"/>,
    /// resolved from a new scope per execution; it may also implement <see cref="IWorkflowFailureHandler{TInput}"/>.
    /// </summary>
    /// <param name="configure">Retries.</param>
    public FlowDashboardBuilder AddWorkflow<TWorkflow>(Action<WorkflowOptions>? configure = null)
        where TWorkflow : class
    {
        var type = typeof(TWorkflow);
        var options = new WorkflowOptions();
        configure?.Invoke(options);
        var name = Checked(type.GetCustomAttribute<WorkflowAttribute>()?.Name ?? DefaultName(type.Name));
        var contract = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWorkflow<,>))
            ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWorkflow<>))
            ?? throw new ArgumentException($"{type.Name} implements neither IWorkflow<TInput> nor IWorkflow<TInput, TOutput>.", nameof(TWorkflow));
        var arguments = contract.GetGenericArguments();
        var factory = arguments.Length == 2 ? nameof(ClassWithOutput) : nameof(ClassWithoutOutput);
        var definition = (WorkflowDefinition)typeof(FlowDashboardBuilder)
            .GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod([type, .. arguments])
            .Invoke(null, [name, options])!;
        Services.TryAddScoped<TWorkflow>();
        return Add(definition);
    }

    private static WorkflowDefinition<TInput, TOutput> ClassWithOutput<TWorkflow, TInput, TOutput>(string name, WorkflowOptions options)
        where TWorkflow : class, IWorkflow<TInput, TOutput> =>
        new(name, options, (services, context) => services.GetRequiredService<TWorkflow>().RunAsync(context), FailureHandlerOf<TWorkflow, TInput>());

    private static WorkflowDefinition<TInput, object?> ClassWithoutOutput<TWorkflow, TInput>(string name, WorkflowOptions options)
        where TWorkflow : class, IWorkflow<TInput> =>
        new(name, options, async (services, context) =>
        {
            await services.GetRequiredService<TWorkflow>().RunAsync(context);
            return null;
        }, FailureHandlerOf<TWorkflow, TInput>());

    private static Func<IServiceProvider, WorkflowFailure<TInput>, CancellationToken, Task>? FailureHandlerOf<TWorkflow, TInput>()
        where TWorkflow : class =>
        typeof(IWorkflowFailureHandler<TInput>).IsAssignableFrom(typeof(TWorkflow))
            ? (services, failure, ct) => ((IWorkflowFailureHandler<TInput>)services.GetRequiredService<TWorkflow>()).OnFailureAsync(failure, ct)
            : null;

    private FlowDashboardBuilder Add(WorkflowDefinition definition)
    {
        if (definition.Options.FlowControl is { } flow)
        {
            if (flow.MaxInFlight is < 1) throw new ArgumentException($"Workflow '{definition.Name}': FlowControl.MaxInFlight must be at least 1.", nameof(definition));
            if (flow.RateLimit is < 1) throw new ArgumentException($"Workflow '{definition.Name}': FlowControl.RateLimit must be at least 1.", nameof(definition));
            if (flow.RatePeriod <= TimeSpan.Zero) throw new ArgumentException($"Workflow '{definition.Name}': FlowControl.RatePeriod must be more than zero.", nameof(definition));
        }

        if (definition.Options.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Workflow '{definition.Name}': Timeout must be more than zero (or null for none).", nameof(definition));
        }

        if (!names.Add(definition.Name)) throw new ArgumentException($"A workflow named '{definition.Name}' is already registered.", nameof(definition));
        Services.AddSingleton(definition);
        return this;
    }

    private static string Checked(string name) =>
        NamePattern().IsMatch(name)
            ? name
            : throw new ArgumentException($"Workflow name '{name}' is not valid: use 1 to 100 letters, digits and '-', '_', '.', starting with a letter or digit.", nameof(name));

    private static string DefaultName(string typeName)
    {
        var stem = typeName.EndsWith("Workflow", StringComparison.Ordinal) && typeName.Length > "Workflow".Length ? typeName[..^"Workflow".Length] : typeName;
        return WordStart().Replace(stem, "-$1").ToLowerInvariant();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
