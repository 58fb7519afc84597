using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// Validates an order, checks stock, charges it, prints a shipping label, takes the stock and confirms by
/// email. An order larger than the stock fails <c>check-inventory</c> at once, not retried: an operator
/// restocks (<c>POST /examples/inventory/{sku}/restock</c>), then retries that one step. An order of
/// <see cref="ExamplesOptions.ApprovalThreshold"/> units or more waits for the event <c>approve-order-{orderId}</c>.
/// </summary>
public sealed class OrderFulfillmentWorkflow(
    InventoryStore inventory, PaymentGateway payments, IEmailSender email, IOptions<ExamplesOptions> options)
    : IWorkflow<OrderInput>
{
    private const decimal UnitPrice = 19.90m;
    private const string SendConfirmation = "send-confirmation";

    // Payment providers recover in seconds: retry soon and often rather than with the default back-off.
    private static readonly StepOptions Payment = new()
    {
        Retry = new RetryPolicy { Retries = 5, InitialDelay = TimeSpan.FromMilliseconds(500) },
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <inheritdoc />
    public async Task RunAsync(IWorkflowContext<OrderInput> context)
    {
        var order = context.Input;
        await context.RunAsync("validate-order", async ct =>
        {
            // The input's [Range] already stops these at trigger time; a step still checks what it relies on.
            if (order.Quantity <= 0) throw new NonRetryableException($"Order {order.OrderId} asks for {order.Quantity} units; order at least 1.");
            if (await inventory.StockAsync(order.Sku, ct) is null)
            {
                var skus = (await inventory.ListAsync(ct)).Select(i => i.Sku);
                throw new NonRetryableException($"Unknown sku '{order.Sku}': order one of {string.Join(", ", skus)}.");
            }
        });

        await context.RunAsync("check-inventory", async ct =>
        {
            var stock = await inventory.StockAsync(order.Sku, ct) ?? 0;
            return stock >= order.Quantity ? stock : throw ShortOfStock(order, stock);
        });

        // A large order waits for a person's approval (POST /flows/api/events/approve-order-{orderId}), a day at most.
        if (order.Quantity >= options.Value.ApprovalThreshold)
        {
            var approval = await context.WaitForEventAsync<Approval>("wait-for-approval", $"approve-order-{order.OrderId}", options.Value.ApprovalTimeout);
            if (approval is not { TimedOut: false, Payload.Approved: true })
            {
                var why = approval.TimedOut ? "nobody approved it in time" : $"{approval.Payload?.By ?? "an approver"} rejected it";
                await context.RunAsync("send-rejection", ct => email.SendAsync(
                    new EmailMessage($"orders+{order.OrderId}@example.com", $"Order {order.OrderId} was not accepted", $"We cannot ship order {order.OrderId}: {why}.", context.RunId, "send-rejection"),
                    ct));
                return;
            }
        }

        var paymentId = await context.RunAsync("process-payment", ct => payments.ChargeAsync(order.OrderId, UnitPrice * order.Quantity, ct), Payment);

        var label = await context.RunAsync("generate-shipping-label", ct => ShippingLabel.WriteAsync(order, options.Value.LabelsPath, ct));

        await context.RunAsync("update-inventory", async ct =>
            await inventory.ReserveAsync(order.OrderId, order.Sku, order.Quantity, ct)
            ?? throw ShortOfStock(order, await inventory.StockAsync(order.Sku, ct) ?? 0));

        await context.RunAsync(SendConfirmation, ct => email.SendAsync(
            new EmailMessage(
                $"orders+{order.OrderId}@example.com",
                $"Order {order.OrderId} is on its way",
                $"{order.Quantity} x {order.Sku}, paid ({paymentId}).\nTracking number: {label.TrackingNumber}.",
                context.RunId,
                SendConfirmation),
            ct));
    }

    private static NonRetryableException ShortOfStock(OrderInput order, long stock) =>
        new($"Only {stock} {order.Sku}(s) in stock; order {order.OrderId} needs {order.Quantity}. Restock, then retry this step.");
}
