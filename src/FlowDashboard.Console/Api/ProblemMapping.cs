using System.Text.Json;
using FlowDashboard.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace FlowDashboard.Console.Api;

/// <summary>The one place where errors become ProblemDetails: bad input is a 4xx with a reason, never a 500.</summary>
internal static class ProblemMapping
{
    public static async ValueTask<object?> MapErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ToProblem(ex) is { } problem)
        {
            return problem;
        }
    }

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>A ProblemDetails for an error answer the framework gave with no body (a parameter that did not bind, a route it refused).</summary>
    public static IResult ForStatus(int status, string path) =>
        Results.Problem(
            statusCode: status,
            title: ReasonPhrases.GetReasonPhrase(status),
            detail: $"The request to '{path}' was answered {status} {ReasonPhrases.GetReasonPhrase(status)} before it reached an endpoint.");

    private static IResult? ToProblem(Exception error) => error switch
    {
        ApiRequestException refused => Results.ValidationProblem(
            refused.Errors.ToDictionary(e => e.Key, e => e.Value), statusCode: refused.Status, title: refused.Message),
        InvalidEventPayloadException invalid => Results.ValidationProblem(
            invalid.Errors.ToDictionary(e => e.Key.Length == 0 ? "payload" : e.Key, e => e.Value),
            detail: invalid.Message,
            title: "The payload does not fit what the run waits for: nothing was delivered"),
        InvalidWorkflowInputException invalid => Results.ValidationProblem(
            invalid.Errors.ToDictionary(e => e.Key, e => e.Value),
            detail: invalid.Message,
            title: "The input is not valid for this workflow"),
        InvalidScheduleException invalid => Results.ValidationProblem(
            invalid.Errors.ToDictionary(e => e.Key, e => e.Value),
            detail: invalid.Message,
            title: "The schedule is not valid"),
        WorkflowNotFoundException or RunNotFoundException or StepNotFoundException or ScheduleNotFoundException => NotFound(error.Message),
        OperationForbiddenException => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: error.Message),
        RunConflictException or WorkflowNotPausedException => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: error.Message),
        JsonException => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is not valid JSON", detail: error.Message),
        BadHttpRequestException bad => Results.Problem(statusCode: bad.StatusCode, title: ReasonPhrases.GetReasonPhrase(bad.StatusCode), detail: bad.Message),
        ArgumentException => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: error.Message),
        _ => null,
    };
}
