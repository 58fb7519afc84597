using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>An order to fulfil.</summary>
public sealed record OrderInput
{
    /// <summary>
    /// The order's id: letters, digits, <c>- _ .</c>. It is the key that makes the inventory update
    /// idempotent and names the label file, hence the narrow alphabet.
    /// </summary>
    [Required]
    [StringLength(100, MinimumLength = 1)]
    [RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "The orderId field may hold only letters, digits, '-', '_' and '.'.")]
    public required string OrderId { get; init; }

    /// <summary>What is ordered: <c>widget</c> or <c>gadget</c> (validate-order rejects others).</summary>
    [Required]
    [StringLength(100, MinimumLength = 1)]
    public required string Sku { get; init; }

    /// <summary>How many.</summary>
    [Range(1, 1_000_000)]
    public required int Quantity { get; init; }
}
