using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.CustomerOnboarding;

/// <summary>Who signed up.</summary>
public sealed record OnboardingInput
{
    /// <summary>The new user's id.</summary>
    [Required]
    public required string UserId { get; init; }

    /// <summary>Where to write to.</summary>
    [Required]
    [EmailAddress]
    public required string Email { get; init; }

    /// <summary>How to greet them.</summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public required string Name { get; init; }
}
