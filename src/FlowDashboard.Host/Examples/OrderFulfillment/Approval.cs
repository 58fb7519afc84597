namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>The payload of <c>approve-order-{orderId}</c>: whether a large order may go ahead.</summary>
/// <param name="Approved">True to go ahead; false to reject the order.</param>
/// <param name="By">Who decided, for the confirmation.</param>
public sealed record Approval(bool Approved, string? By = null);
