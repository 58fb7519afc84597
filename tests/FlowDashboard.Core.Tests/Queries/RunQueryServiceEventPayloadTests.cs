using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Engine;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Queries;

/// <summary>
/// DescribeEventPayload and ValidateEventPayload on the input a real wait recorded: what the Notify dialog shows and
/// checks as the operator types, which must be what the engine then accepts or refuses.
/// </summary>
public sealed class RunQueryServiceEventPayloadTests
{
    private const string WaitingRun = "approval-run";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DescribeEventPayload_RecordedWait_NamesTheTypeWithItsShapeAndATemplateThatBinds()
    {
        await using var host = await StartWaitingAsync("order-1");
        var (service, stepInput) = await WaitingStepAsync(host, "order-1");

        var expected = service.DescribeEventPayload(stepInput);

        Assert.NotNull(expected);
        Assert.Equal(("Approval", "Approval { approved: bool, by: string, note: string? }"), (expected.TypeName, expected.Shape));
        using (var template = JsonDocument.Parse(expected.Template))
        {
            Assert.Equal(["approved", "by", "note"], template.RootElement.EnumerateObject().Select(p => p.Name));
        }

        Assert.Empty(service.ValidateEventPayload(stepInput, expected.Template));
    }

    [Fact]
    public async Task ValidateEventPayload_RecordedWait_RefusesByMemberWhatTheEngineRefusesAndPassesWhatItDelivers()
    {
        await using var host = await StartWaitingAsync("order-2");
        var (service, stepInput) = await WaitingStepAsync(host, "order-2");
        const string misspelt = """{"aproved":true,"by":"ada"}""";
        const string fits = """{"approved":true,"by":"ada"}""";

        var errors = service.ValidateEventPayload(stepInput, misspelt);

        Assert.Equal(["'aproved' is not a member of Approval: use approved, by, note."], errors["aproved"]);
        Assert.Single(errors);
        Assert.Equal(["by"], service.ValidateEventPayload(stepInput, """{"approved":true}""").Keys);
        Assert.Equal(["approved"], service.ValidateEventPayload(stepInput, """{"approved":"yes","by":"ada"}""").Keys);
        Assert.StartsWith("This is not valid JSON", Assert.Single(service.ValidateEventPayload(stepInput, """{"approved":""").Values)[0], StringComparison.Ordinal);
        Assert.Empty(service.ValidateEventPayload(stepInput, fits));

        // The engine, notified with the same payloads, agrees.
        var refused = await Assert.ThrowsAsync<InvalidEventPayloadException>(() => host.Client.NotifyAsync("order-2", Json(misspelt), WaitingRun, Ct));
        Assert.Equal(Flat(errors), Flat(refused.Errors));
        await host.Client.NotifyAsync("order-2", Json(fits), WaitingRun, Ct);
        var run = await host.WaitForFinalAsync(WaitingRun);
        Assert.Equal(new Approval(true, "ada"), run.Output!.Value.Deserialize<Approval>(FlowJson.Data));
    }

    [Fact]
    public async Task DescribeEventPayload_WaitWithoutAKnownType_IsNullAndAnyJsonFits()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string>("idle", _ => Task.CompletedTask));
        var service = host.Services.GetRequiredService<IRunQueryService>();
        const string gone = """{"payloadType":"Gone.Approval, Gone.Assembly"}""";

        Assert.Null(service.DescribeEventPayload(null));
        Assert.Null(service.DescribeEventPayload(gone));
        Assert.Empty(service.ValidateEventPayload(null, """{"anything":1}"""));
        Assert.Empty(service.ValidateEventPayload(gone, """{"anything":1}"""));
        Assert.Equal([""], service.ValidateEventPayload(null, "{oops").Keys);
    }

    /// <summary>A host whose run <see cref="WaitingRun"/> waits for the event <paramref name="eventId"/> with an <see cref="Approval"/>.</summary>
    private static async Task<EngineHost> StartWaitingAsync(string eventId)
    {
        var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string, Approval?>("approve", async ctx =>
            (await ctx.WaitForEventAsync<Approval>("approval", ctx.Input, TimeSpan.FromMinutes(10))).Payload));
        await host.Client.TriggerAsync("approve", eventId, new TriggerOptions { RunId = WaitingRun }, Ct);
        await host.WaitForRunAsync(WaitingRun, r => r.Status == RunStatus.Waiting);
        return host;
    }

    /// <summary>The query service and the waiting step's input as it reads it.</summary>
    private static async Task<(IRunQueryService Service, string StepInput)> WaitingStepAsync(EngineHost host, string eventId)
    {
        var service = host.Services.GetRequiredService<IRunQueryService>();
        var step = await service.GetStepAsync(WaitingRun, "approval", Ct);
        Assert.Equal(eventId, step?.Target);
        return (service, step!.Input!.Value.GetRawText());
    }

    private static List<string> Flat(IReadOnlyDictionary<string, string[]> errors) =>
        errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}").ToList();

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private sealed record Approval(bool Approved, string By, string? Note = null);
}
