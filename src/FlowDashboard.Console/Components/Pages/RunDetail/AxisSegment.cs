namespace FlowDashboard.Console.Components.Pages.RunDetail;

/// <summary>
/// A piece of the timeline's axis: the stretch of time from <paramref name="From"/> to <paramref name="To"/>, drawn
/// between <paramref name="Left"/> and <paramref name="Right"/> percent of the lane. A fold stands for a long idle gap
/// and is drawn narrow, whatever its length.
/// </summary>
/// <param name="From">Where the stretch of time begins.</param>
/// <param name="To">Where it ends.</param>
/// <param name="Left">Where it begins on the lane, in percent.</param>
/// <param name="Right">Where it ends on the lane, in percent.</param>
/// <param name="IsFold">True for a folded idle gap.</param>
internal sealed record AxisSegment(DateTimeOffset From, DateTimeOffset To, double Left, double Right, bool IsFold)
{
    /// <summary>The length of time it stands for.</summary>
    public TimeSpan Length => To - From;

    /// <summary>Its width on the lane, in percent.</summary>
    public double Width => Right - Left;

    /// <summary>What a fold says about itself: "10 min idle".</summary>
    public string Label => $"{Durations.Format(Length)} idle";

    /// <summary>Where <paramref name="time"/>, inside this segment, falls on the lane.</summary>
    public double PercentAt(DateTimeOffset time) => Length <= TimeSpan.Zero ? Left : Left + ((time - From) / Length * Width);

    /// <summary>The time at <paramref name="percent"/> of the lane, inside this segment.</summary>
    public DateTimeOffset TimeAt(double percent) => Width <= 0 ? From : From + (Length * ((percent - Left) / Width));
}
