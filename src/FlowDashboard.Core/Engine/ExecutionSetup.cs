using System.Diagnostics;
using FlowDashboard.Execution;
using FlowDashboard.Queries;
using FlowDashboard.Store;
using FlowDashboard.Telemetry;
using FlowDashboard.Transitions;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Engine;

/// <summary>What one execution of a run is given: the leased run with its recorded steps, and the engine's parts.</summary>
internal sealed record ExecutionSetup(
    RunEntity Run,
    RunLease Lease,
    WorkflowDefinition Definition,
    ExecutionTransitions Execution,
    WaitTransitions Waits,
    CallTransitions Calls,
    FlowControlTransitions FlowControl,
    PauseRegistry Pauses,
    OperatorTransitions Operators,
    WorkflowRegistry Registry,
    JobDispatcher Jobs,
    RunChangeFeed Changes,
    TimeProvider Time,
    FlowMetrics Metrics,
    ILogger Logger)
{
    /// <summary>The execution's span: each step attempt's span is its child (default when nothing listens).</summary>
    public ActivityContext Trace { get; init; }
}
