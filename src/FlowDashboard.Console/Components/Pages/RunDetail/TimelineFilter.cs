namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>Which steps the timeline shows.</summary>
internal enum TimelineFilter
{
    /// <summary>Every step.</summary>
    All,

    /// <summary>Steps that failed, for good or in an attempt that was retried.</summary>
    Failed,

    /// <summary>Steps that took more than one attempt.</summary>
    Retried,
}
