using FlowDashboard.Host.Tests.Infrastructure;

namespace FlowDashboard.Host.Tests.Examples.OrderFulfillment;

/// <summary>
/// A host whose payment gateway fails half of its charges, from a fixed seed: the failures then come in
/// the same sequence on every run of the tests, and only this host draws from it.
/// </summary>
public sealed class FlakyPaymentsHostFactory : ExampleHostFactory
{
    public const int Seed = 20261125;

    protected override double PaymentFailureRate => 0.5;

    protected override int? PaymentRandomSeed => Seed;
}
