using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>
/// A stand-in payment provider: answers after a short delay and fails now and then, as real ones do
/// (<see cref="ExamplesOptions.PaymentFailureRate"/>, seeded by <see cref="ExamplesOptions.PaymentRandomSeed"/>).
/// </summary>
public sealed class PaymentGateway
{
    private readonly double failureRate;
    private readonly Random random;
    private readonly Lock gate = new();

    /// <summary>Reads the failure rate and the seed.</summary>
    /// <param name="options">The examples' settings.</param>
    public PaymentGateway(IOptions<ExamplesOptions> options)
    {
        failureRate = options.Value.PaymentFailureRate;
        random = options.Value.PaymentRandomSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Charges an order; throws <see cref="HttpRequestException"/> on a transient failure.</summary>
    /// <param name="orderId">The order, used as the charge's idempotency key.</param>
    /// <param name="amount">How much.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    /// <returns>The payment's id: the same for every charge of one order, as a provider that dedupes on the key answers.</returns>
    public async Task<string> ChargeAsync(string orderId, decimal amount, CancellationToken cancellationToken)
    {
        bool fails;
        int latency;

        // A seeded Random is not thread-safe, and runs charge concurrently.
        lock (gate)
        {
            fails = random.NextDouble() < failureRate;
            latency = random.Next(20, 80);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(latency), cancellationToken);
        if (fails) throw new HttpRequestException($"The payment provider timed out charging {amount:0.00} for order {orderId}.");

        return "pay_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(orderId)))[..16];
    }
}
