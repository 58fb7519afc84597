using System.Net;
using System.Text.Json;

namespace FlowDashboard.Console.Tests.Infrastructure;

/// <summary>Assertions on the HTTP API's answers.</summary>
public static class ApiAssert
{
    /// <summary>Asserts a ProblemDetails (<c>application/problem+json</c>) with this status that mentions <paramref name="mentions"/>.</summary>
    /// <returns>The problem document.</returns>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(mentions, text, StringComparison.OrdinalIgnoreCase);
        return problem.RootElement.Clone();
    }
}
