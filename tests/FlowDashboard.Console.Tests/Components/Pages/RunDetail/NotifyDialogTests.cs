using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using FlowDashboard.Client;
using FlowDashboard.Console.Components.Pages.RunDetail;
using FlowDashboard.Exceptions;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FlowDashboard.Console.Tests.Components.Pages.RunDetail;

/// <summary>
/// The Notify dialog, opened as the run page opens it (through <see cref="IDialogService"/>) for a wait whose input names
/// its payload type as the engine records it; the fake query service binds payloads to that type strictly.
/// </summary>
public sealed class NotifyDialogTests : ConsoleTestBase
{
    private const string RunId = "run-7";
    private const string EventId = "approve-order-7";
    private const string Payload = "textarea[data-testid=notify-payload]";

    private const string Template = """
        {
          "approved": false,
          "by": ""
        }
        """;

    // What the engine records as a wait's input: the payload type's full name and assembly.
    private static readonly string StepInput =
        JsonSerializer.Serialize(new { payloadType = $"{typeof(Approval).FullName}, {typeof(Approval).Assembly.GetName().Name}" });

    private readonly NotifySpy spy;

    public NotifyDialogTests()
    {
        Queries.EventPayloads[StepInput] = new EventPayloadInfo("Approval", "Approval { approved: bool, by: string }", Template);

        // Registered after the fake, so the dialog and ConsoleOperator get the spy, which hands every call on to the fake.
        var operations = DispatchProxy.Create<IOperationsService, NotifySpy>();
        spy = (NotifySpy)(object)operations;
        spy.Inner = Operations;
        Context.Services.AddSingleton(operations);
    }

    [Fact]
    public async Task Open_WaitWithARecordedType_StartsFromTheTemplateAndShowsTheExpectedShape()
    {
        var (cut, _) = await OpenAsync(StepInput);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Template), JsonNode.Parse(TextOf(cut.Find(Payload)))), TextOf(cut.Find(Payload)));
        Assert.Contains("Expected payload: Approval { approved: bool, by: string }", Squeezed(cut.Find("[data-testid=notify-expected]").TextContent), StringComparison.Ordinal);
        Assert.False(SendButton(cut).HasAttribute("disabled"));
        Assert.Equal(["Close", "Send event"], cut.FindAll(".mud-dialog-actions button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task TypePayload_MisspeltMember_ShowsAnErrorNamingItAndDisablesSend()
    {
        var (cut, _) = await OpenAsync(StepInput);

        cut.Find(Payload).Input("""{"aproved":true,"by":"ada"}""");

        cut.WaitForAssertion(() =>
        {
            var field = Field(cut, Payload);
            Assert.Contains("mud-input-error", field.ClassList);
            Assert.StartsWith("aproved: ", HelperText(field), StringComparison.Ordinal);
            Assert.True(SendButton(cut).HasAttribute("disabled"));
        });
        Assert.Empty(spy.Payloads);
    }

    [Fact]
    public async Task Send_PayloadFixedToFit_EnablesSendAndNotifiesTheRunWithIt()
    {
        const string approval = """{"approved":true,"by":"ops"}""";
        var (cut, dialog) = await OpenAsync(StepInput);
        cut.Find(Payload).Input("""{"approved":true}""");
        cut.WaitForAssertion(() => Assert.True(SendButton(cut).HasAttribute("disabled")));

        cut.Find(Payload).Input(approval);
        cut.WaitForAssertion(() => Assert.False(SendButton(cut).HasAttribute("disabled")));
        SendButton(cut).Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);
        Assert.False(result!.Canceled);
        Assert.Equal([$"notify {EventId} {RunId}"], Operations.Calls);
        var sent = Assert.Single(spy.Payloads);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(approval), JsonNode.Parse(sent)), sent);
    }

    [Fact]
    public async Task Send_EngineRefusesThePayload_ShowsItsMessageAndErrorsInTheDialogAndStaysOpen()
    {
        spy.Refusal = new InvalidEventPayloadException(EventId, RunId, "approval", new Dictionary<string, string[]> { ["by"] = ["Only a manager approves."] });
        var (cut, dialog) = await OpenAsync(StepInput);
        cut.Find(Payload).Input("""{"approved":true,"by":"intern"}""");
        cut.WaitForAssertion(() => Assert.False(SendButton(cut).HasAttribute("disabled")));

        SendButton(cut).Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains($"does not fit what step 'approval' of run '{RunId}' waits for", cut.Find("[data-testid=notify-refused]").TextContent, StringComparison.Ordinal);
            Assert.Equal("by: Only a manager approves.", HelperText(Field(cut, Payload)));
            Assert.True(SendButton(cut).HasAttribute("disabled"));
        });
        Assert.False(dialog.Result.IsCompleted);
        Assert.Single(spy.Payloads);
    }

    [Fact]
    public async Task Open_WaitWithoutARecordedType_SaysNoShapeIsKnownAndChecksOnlyThatItIsJson()
    {
        var (cut, _) = await OpenAsync(stepInput: null);

        Assert.Contains("No shape is known", cut.Find("[data-testid=notify-expected]").TextContent, StringComparison.Ordinal);
        Assert.Equal("{}", TextOf(cut.Find(Payload)).Trim());
        cut.Find(Payload).Input("""{"anything":1}""");
        cut.WaitForAssertion(() => Assert.False(SendButton(cut).HasAttribute("disabled")));
        cut.Find(Payload).Input("{not json");
        cut.WaitForAssertion(() =>
        {
            Assert.StartsWith("This is not valid JSON", HelperText(Field(cut, Payload)), StringComparison.Ordinal);
            Assert.True(SendButton(cut).HasAttribute("disabled"));
        });
    }

    private async Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> OpenAsync(string? stepInput)
    {
        var cut = Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = cut.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<NotifyDialog> { { d => d.EventId, EventId }, { d => d.RunId, RunId }, { d => d.StepInput, stepInput } };
        IDialogReference? dialog = null;
        await cut.InvokeAsync(async () => dialog = await dialogs.ShowAsync<NotifyDialog>($"Notify {EventId}", parameters));
        cut.WaitForElement("[data-testid=notify-send]");
        return (cut, dialog!);
    }

    // Blazor renders a textarea's value as an attribute or as its content, depending on the renderer.
    private static string TextOf(IElement textarea) => textarea.GetAttribute("value") ?? textarea.TextContent;

    private static string Squeezed(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static IElement Field(IRenderedComponent<ContainerFragment> cut, string selector) =>
        cut.Find(selector).Closest(".mud-input-control") ?? throw new InvalidOperationException($"{selector} is in no input control.");

    private static string HelperText(IElement field) => field.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    private static IElement SendButton(IRenderedComponent<ContainerFragment> cut) => cut.Find("button[data-testid=notify-send]");

    /// <summary>A payload type, as a workflow would wait for it.</summary>
    /// <param name="Approved">Whether the order is approved.</param>
    /// <param name="By">Who decided.</param>
    public sealed record Approval(bool Approved, string By);

    /// <summary>
    /// The operations service the dialog gets: records each notify's payload and, when <see cref="Refusal"/> is set,
    /// refuses it as the engine does; every call goes on to the fake. A proxy, so it follows the interface as it grows.
    /// </summary>
    public class NotifySpy : DispatchProxy
    {
        private readonly Lock gate = new();
        private readonly List<string> payloads = [];

        /// <summary>The service every call goes on to.</summary>
        public IOperationsService Inner { get; set; } = default!;

        /// <summary>What a notify throws instead of reaching <see cref="Inner"/>; null to let it through.</summary>
        public InvalidEventPayloadException? Refusal { get; set; }

        /// <summary>The payloads notified, as JSON, in order.</summary>
        public IReadOnlyList<string> Payloads
        {
            get
            {
                lock (gate) return [.. payloads];
            }
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IOperationsService.NotifyAsync))
            {
                lock (gate) payloads.Add(((JsonElement)args![2]!).GetRawText());
                if (Refusal is { } refusal) return Task.FromException<NotifyResult>(refusal);
            }

            return targetMethod.Invoke(Inner, args);
        }
    }
}
