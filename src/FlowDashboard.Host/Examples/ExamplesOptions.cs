namespace FlowDashboard.Host.Examples;

/// <summary>Settings of the example workflows, from the <c>Examples</c> section.</summary>
/// <remarks>
/// Defaults: follow-up after 3 days, payment fails 10 % of the time (unseeded), files under <c>data/</c>.
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

    /// <summary>Where the default email sender writes .eml files.</summary>
    public string OutboxPath { get; set; } = "data/outbox";

    /// <summary>Where order-fulfillment writes shipping labels.</summary>
    public string LabelsPath { get; set; } = "data/labels";

    /// <summary>Where image-processing stores its downloads, thumbnails and manifests, one folder per run.</summary>
    public string ImagesPath { get; set; } = "data/images";
}
