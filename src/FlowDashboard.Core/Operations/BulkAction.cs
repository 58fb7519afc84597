namespace FlowDashboard.Operations;

/// <summary>What a bulk operation does to each run it selects.</summary>
public enum BulkAction
{
    /// <summary>Cancel each run that is not final.</summary>
    Cancel,

    /// <summary>Resume each failed run from its failing step.</summary>
    Resume,

    /// <summary>Start each run again as a new run with the same input.</summary>
    Restart,

    /// <summary>Delete each final run.</summary>
    Delete,
}
