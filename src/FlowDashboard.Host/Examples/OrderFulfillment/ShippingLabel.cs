using System.Security.Cryptography;
using System.Text;

namespace FlowDashboard.Host.Examples.OrderFulfillment;

/// <summary>The label step's result: a tracking number and the label file's path, small so the run's record stays small.</summary>
/// <param name="TrackingNumber">The carrier's tracking number.</param>
/// <param name="Path">The label file.</param>
public sealed record ShippingLabel(string TrackingNumber, string Path)
{
    /// <summary>Writes a text label for <paramref name="order"/> into <paramref name="folder"/> as <c>&lt;orderId&gt;.txt</c>.</summary>
    /// <param name="order">The order.</param>
    /// <param name="folder">Created if missing.</param>
    /// <param name="cancellationToken">Cancelled on timeout or shutdown.</param>
    public static async Task<ShippingLabel> WriteAsync(OrderInput order, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);

        // Derived from the order id, not random: a label step run again after a crash prints the same label.
        var tracking = "FD" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(order.OrderId)))[..12];
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, $"{order.OrderId}.txt");
        await File.WriteAllTextAsync(path, $"SHIP {order.Quantity} x {order.Sku}\nORDER {order.OrderId}\nTRACKING {tracking}\n", cancellationToken);
        return new ShippingLabel(tracking, path);
    }
}
