using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlowDashboard.Host;

/// <summary>
/// The answer of <c>/health</c> as JSON: the overall status, and each check's status, description and data, so a probe
/// or a person reads what is wrong without opening the log.
/// </summary>
internal static class HealthResponse
{
    /// <summary>Writes <paramref name="report"/>; the status code is already set by then.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            },
            context.RequestAborted);
}
