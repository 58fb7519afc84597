namespace FlowDashboard.Scheduling;

/// <summary>What a schedule does about fire times missed while the application was down. Stored as its name.</summary>
public enum MisfirePolicy
{
    /// <summary>Missed fire times start nothing; the schedule goes on from the next one.</summary>
    Skip,

    /// <summary>However many were missed, one catch-up run starts at start-up, for the latest missed fire time.</summary>
    FireOnce,
}
