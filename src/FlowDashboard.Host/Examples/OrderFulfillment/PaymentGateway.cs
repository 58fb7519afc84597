using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>A stand-in payment provider: answers after a short delay and fails now and then, as real ones do.</summary>
public sealed class PaymentGateway(IOptions<ExamplesOptions> options)
{
    /// <summary>Charges an order; throws <see cref="HttpRequestException"/> on a transient failure.</summary>
    /// <param name="orderId">The order, used as the charge's idempotency key.</param>
    /// <param name="amount">How much.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    /// <returns>The payment's id.</returns>
    public async Task<string> ChargeAsync(string orderId, decimal amount, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 80)), cancellationToken);
        if (Random.Shared.NextDouble() < options.Value.PaymentFailureRate)
        {
            throw new HttpRequestException($"The payment provider timed out charging {amount:0.00} for order {orderId}.");
        }

        return $"pay_{orderId}_{Guid.NewGuid().ToString("N")[..8]}";
    }
}
