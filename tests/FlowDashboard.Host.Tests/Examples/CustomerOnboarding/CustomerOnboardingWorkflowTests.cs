using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlowDashboard.Host.Examples.Email;
using FlowDashboard.Host.Tests.Infrastructure;

namespace FlowDashboard.Host.Tests.Examples.CustomerOnboarding;

public sealed class CustomerOnboardingWorkflowTests(ExampleHostFactory host) : IClassFixture<ExampleHostFactory>
{
    [Fact]
    public async Task RunAsync_ShortFollowUpDelay_SendsWelcomeThenFollowUpOnceEach()
    {
        var runId = await host.TriggerAsync("customer-onboarding", new { userId = "u-7", email = "grace@example.com", name = "Grace" });

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(
            [("send-welcome-email", "Run"), ("wait-for-follow-up", "Sleep"), ("generate-follow-up-message", "Call"), ("send-follow-up-email", "Run")],
            steps.Select(s => (s.GetProperty("name").GetString(), s.GetProperty("kind").GetString())));

        // The follow-up came over a real HTTP round trip to the host's own message service, made by the engine's call job.
        var response = steps[2].GetProperty("output");
        Assert.Equal(200, response.GetProperty("status").GetInt32());
        Assert.Contains("\"text\":\"Hi Grace,", response.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("Completed", Assert.Single(steps[2].GetProperty("attempts").EnumerateArray()).GetProperty("status").GetString());

        var emails = host.EmailsOf(runId);
        Assert.Equal(2, emails.Count);
        foreach (var step in new[] { "send-welcome-email", "send-follow-up-email" })
        {
            var email = Assert.Single(emails, e => e.Contains($"\r\nX-Flow-Step: {step}\r\n", StringComparison.Ordinal));
            Assert.Contains("\r\nTo: grace@example.com\r\n", email, StringComparison.Ordinal);
            Assert.Contains($"\r\nMessage-ID: {EmlFormat.MessageId(runId, step)}\r\n", email, StringComparison.Ordinal);
        }

        Assert.Contains(emails, e => e.Contains("X-Flow-Step: send-follow-up-email", StringComparison.Ordinal) && e.Contains("Hi Grace,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"userId":"u","name":"A"}""", "email")]
    [InlineData("""{"userId":"u","email":"not-an-email","name":"A"}""", "email")]
    [InlineData("""{"userId":7,"email":"a@example.com","name":"A"}""", "userId")]
    [InlineData("""{"userId":"u","email":"a@example.com","name":"A","plan":"pro"}""", "plan")]
    [InlineData("""{"userId":"u","email":"a@example.com","name":""}""", "name")]
    public async Task Trigger_BadInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await host.PostInputAsync("customer-onboarding", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
