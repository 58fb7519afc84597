using System.ComponentModel.DataAnnotations;

namespace FlowDashboard.Host.Examples.ImageProcessing;

/// <summary>
/// Accepts an absolute <c>http</c> or <c>https</c> URL. <see cref="UrlAttribute"/> also lets <c>ftp:</c>
/// through, which the HTTP client would only reject inside the step, attempt after attempt.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    /// <summary>Creates the attribute with its default message.</summary>
    public HttpUrlAttribute()
        : base("The {0} field must be an absolute http or https URL.")
    {
    }

    /// <inheritdoc />
    public override bool IsValid(object? value) =>
        value is null
        || (value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
