using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>Who signed up.</summary>
public sealed record OnboardingInput
{
    /// <summary>The new user's id.</summary>
    [Required]
    [StringLength(100)]
    public required string UserId { get; init; }

    /// <summary>Where to write to.</summary>
    [Required]
    [EmailAddress]
    [StringLength(254)]
    public required string Email { get; init; }

    /// <summary>How to greet them.</summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public required string Name { get; init; }
}
