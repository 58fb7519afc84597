using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>An order to fulfil.</summary>
public sealed record OrderInput
{
    /// <summary>The order's id: also the key that makes the inventory update idempotent.</summary>
    [Required]
    [StringLength(100, MinimumLength = 1)]
    public required string OrderId { get; init; }

    /// <summary>What is ordered: <c>widget</c> or <c>gadget</c>.</summary>
    [Required]
    public required string Sku { get; init; }

    /// <summary>How many.</summary>
    [Range(1, 1_000_000)]
    public required int Quantity { get; init; }
}
