using System.Net;
using FlowDashboard.Console.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Console.Tests.Security;

public sealed class LocalRequestsOnlyMiddlewareTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("203.0.113.9", false)]
    public async Task InvokeAsync_ByRemoteAddress_LetsOnlyLocalRequestsThrough(string remote, bool allowed)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.1");
        http.Response.Body = new MemoryStream();
        var reached = false;

        await new LocalRequestsOnlyMiddleware(_ =>
        {
            reached = true;
            return Task.CompletedTask;
        }).InvokeAsync(http);

        Assert.Equal(allowed, reached);
        if (!allowed)
        {
            Assert.Equal(StatusCodes.Status403Forbidden, http.Response.StatusCode);
            Assert.Equal("application/problem+json", http.Response.ContentType);
        }
    }
}
