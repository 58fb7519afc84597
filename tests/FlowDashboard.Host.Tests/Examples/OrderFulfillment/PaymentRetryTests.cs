using System.Text.Json;

namespace FlowDashboard.Host.Tests.Examples.OrderFulfillment;

public sealed class PaymentRetryTests(FlakyPaymentsHostFactory host) : IClassFixture<FlakyPaymentsHostFactory>
{
    [Fact]
    public async Task RunAsync_HalfOfChargesFail_RetriesProcessPaymentAndCompletes()
    {
        var orders = Enumerable.Range(1, 10).Select(i => (OrderId: $"flaky-{i}", Quantity: i)).ToList();
        var runIds = new List<string>();
        foreach (var (orderId, quantity) in orders)
        {
            runIds.Add(await host.TriggerAsync("order-fulfillment", new { orderId, sku = "widget", quantity }));
        }

        // Five retries from 500 ms, doubling: a run that needs all of them waits about 15 s.
        var runs = await Task.WhenAll(runIds.Select(id => host.WaitForFinalAsync(id, TimeSpan.FromSeconds(60))));

        var results = runs.Select((run, i) => (
            Status: run.GetProperty("status").GetString(),
            Steps: run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList(),
            Payment: Attempts(run, "process-payment"),
            orders[i].Quantity)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine("payment attempts per run: " + string.Join(", ", results.Select(r => $"{r.Payment.Count} ({r.Status})")));

        Assert.Contains(results, r => r.Status == "Completed" && r.Payment.Count > 1);
        Assert.All(results.Where(r => r.Status != "Completed"), r =>
        {
            // The only way to fail here: six failed charges in a row (one run in 64 at this rate), and no later step.
            Assert.Equal("Failed", r.Status);
            Assert.Equal(6, r.Payment.Count);
            Assert.Equal("process-payment", r.Steps[^1]);
        });
        Assert.All(results.SelectMany(r => r.Payment).Where(a => a.Status == "Failed"), a => Assert.Equal("System.Net.Http.HttpRequestException", a.ErrorType));
        Assert.Equal(1000 - results.Where(r => r.Status == "Completed").Sum(r => r.Quantity), await host.StockAsync("widget"));
    }

    private static List<(string? Status, string? ErrorType)> Attempts(JsonElement run, string step) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == step)
            .GetProperty("attempts").EnumerateArray()
            .Select(a => (a.GetProperty("status").GetString(), a.TryGetProperty("errorType", out var type) ? type.GetString() : null))
            .ToList();
}
