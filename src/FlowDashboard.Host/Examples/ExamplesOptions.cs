namespace FlowDashboard.Host.Examples;

/// <summary>Settings of the example workflows, from the <c>Examples</c> section.</summary>
/// <remarks>
/// Defaults: follow-up after 3 days, payment fails 10 % of the time (unseeded), orders of 100 units or more
/// wait for an approval (one day at most), the follow-up text comes from this host's own message endpoint,
/// files under <c>data/</c>.
/// Relative paths are resolved against the host's content root (the repository root for <c>dotnet run</c>).
/// </remarks>
public sealed class ExamplesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Examples";

    /// <summary>How long customer-onboarding sleeps before its follow-up.</summary>
    public TimeSpan FollowUpDelay { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The share of payment attempts that fail transiently (0 to 1).</summary>
    public double PaymentFailureRate { get; set; } = 0.1;

    /// <summary>Seeds the fake payment gateway's failures, so a demo or a test sees the same sequence every time; null for a random one.</summary>
    public int? PaymentRandomSeed { get; set; }

    /// <summary>Orders of at least this many units wait for the event <c>approve-order-{orderId}</c> before payment.</summary>
    public int ApprovalThreshold { get; set; } = 100;

    /// <summary>How long a large order waits for its approval before it is rejected.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The URL customer-onboarding's follow-up message is generated at; null for this host's own
    /// <c>/examples/messages/follow-up</c> (no outside service is reachable here).
    /// </summary>
    public string? MessageServiceUrl { get; set; }

    /// <summary>Where the default email sender writes .eml files.</summary>
    public string OutboxPath { get; set; } = "data/outbox";

    /// <summary>Where order-fulfillment writes shipping labels.</summary>
    public string LabelsPath { get; set; } = "data/labels";

    /// <summary>Where image-processing stores its downloads, thumbnails and manifests, one folder per run.</summary>
    public string ImagesPath { get; set; } = "data/images";
}
