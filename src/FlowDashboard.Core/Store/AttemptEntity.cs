using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>One attempt at a step: unique per (step, number).</summary>
internal sealed class AttemptEntity
{
    public long Id { get; set; }
    public long StepId { get; set; }
    public int Number { get; set; }
    public AttemptStatus Status { get; set; }
    public DateTime ScheduledAt { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? Error { get; set; }
    public string? ErrorType { get; set; }
    public string? StackTrace { get; set; }
}
