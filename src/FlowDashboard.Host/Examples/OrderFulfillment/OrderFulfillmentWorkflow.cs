using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.Host.Examples.Email;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// Validates an order, checks and takes stock, charges it, makes a shipping label and confirms by email.
/// An order larger than the stock fails <c>check-inventory</c> without retries: restock, then retry that step.
/// </summary>
public sealed class OrderFulfillmentWorkflow(
    InventoryStore inventory, PaymentGateway payments, IEmailSender email, IOptions<ExamplesOptions> options, IHostEnvironment environment)
    : IWorkflow<OrderInput>
{
    private const decimal UnitPrice = 19.90m;

    // Payment providers recover in seconds: retry quickly rather than with the default back-off.
    private static readonly StepOptions PaymentStep = new()
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
            if (await inventory.StockAsync(order.Sku, ct) is null) throw new NonRetryableException($"Unknown sku '{order.Sku}'.");
        });

        await context.RunAsync("check-inventory", async ct =>
        {
            var stock = await inventory.StockAsync(order.Sku, ct) ?? 0;
            if (stock < order.Quantity)
            {
                throw new NonRetryableException(
                    $"Only {stock} {order.Sku}(s) in stock; order {order.OrderId} needs {order.Quantity}. Restock, then retry this step.");
            }

            return stock;
        });

        var paymentId = await context.RunAsync("process-payment", ct => payments.ChargeAsync(order.OrderId, UnitPrice * order.Quantity, ct), PaymentStep);

        var label = await context.RunAsync("generate-shipping-label", async ct =>
        {
            var folder = Path.Combine(environment.ContentRootPath, options.Value.LabelsPath);
            Directory.CreateDirectory(folder);
            var tracking = $"FD{Math.Abs(order.OrderId.GetHashCode(StringComparison.Ordinal)):D10}";
            var path = Path.Combine(folder, $"{order.OrderId}.txt");
            await File.WriteAllTextAsync(path, $"SHIP {order.Quantity} x {order.Sku}\nORDER {order.OrderId}\nTRACKING {tracking}\n", ct);
            return new ShippingLabel(tracking, path);
        });

        await context.RunAsync("update-inventory", ct => inventory.ReserveAsync(order.OrderId, order.Sku, order.Quantity, ct));

        await context.RunAsync("send-confirmation", ct => email.SendAsync(
            new EmailMessage(
                $"orders+{order.OrderId}@example.com",
                $"Order {order.OrderId} is on its way",
                $"{order.Quantity} x {order.Sku}, paid ({paymentId}), tracking number {label.TrackingNumber}.",
                context.RunId,
                "send-confirmation"),
            ct));
    }

    /// <summary>The label step's result: small, so the run's record stays small.</summary>
    /// <param name="TrackingNumber">The carrier's tracking number.</param>
    /// <param name="Path">Where the label file is.</param>
    public sealed record ShippingLabel(string TrackingNumber, string Path);
}
