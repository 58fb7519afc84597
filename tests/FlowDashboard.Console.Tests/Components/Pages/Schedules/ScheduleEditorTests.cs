using System.Globalization;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using FlowDashboard.Console.Components.Pages.Schedules;
using FlowDashboard.Queries;
using FlowDashboard.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FlowDashboard.Console.Tests.Components.Pages.Schedules;

/// <summary>
/// The schedule editor, opened as the pages open it: through <see cref="IDialogService"/>, inside a dialog provider
/// rendered in the same fragment as the popover provider, so its markup (and its lists' popovers) are in that fragment.
/// </summary>
public sealed class ScheduleEditorTests : ConsoleTestBase
{
    private const string Weekdays = "30 9 * * 1-5";

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public ScheduleEditorTests()
    {
        Queries.WorkflowList.AddRange(
        [
            new WorkflowInfo("greet", "GreetInput", """{"name":""}"""),
            new WorkflowInfo("nap", "NapInput", """{"seconds":0}"""),
        ]);
        Schedules.RequiredInput["greet"] = ["name"];
    }

    [Fact]
    public async Task TypeCron_FourFields_ShowsTheFieldCountUnderCronAndDisablesSave()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("input[data-testid=schedule-name]").Input("nightly");
        cut.WaitForAssertion(() => Assert.False(SaveButton(cut).HasAttribute("disabled")));

        cut.Find("input[data-testid=schedule-cron]").Input("* * * *");

        cut.WaitForAssertion(() =>
        {
            var cron = Field(cut, "input[data-testid=schedule-cron]");
            Assert.Contains("mud-input-error", cron.ClassList);
            Assert.Contains("this one has 4", HelperText(cron), StringComparison.Ordinal);
            Assert.True(SaveButton(cut).HasAttribute("disabled"));
        });
        Assert.Contains("once the cron expression and the time zone are valid", cut.Find("[data-testid=schedule-preview]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypeCron_WeekdayMorningsInBerlin_DescribesItAndPreviewsFiveFireTimesInThatZone()
    {
        var (cut, _) = await OpenAsync();

        cut.Find("input[data-testid=schedule-cron]").Input(Weekdays);
        ChooseZone(cut, "Europe/Berlin");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("At 09:30, Monday through Friday", HelperText(Field(cut, "input[data-testid=schedule-cron]")));
            Assert.Equal(ExpectedPreview(Weekdays, Berlin), PreviewTimes(cut));
        });
        Assert.All(PreviewTimes(cut), time => Assert.EndsWith("09:30:00 +01:00", time, StringComparison.Ordinal));
        Assert.Contains("Next fire times in Europe/Berlin", cut.Find("[data-testid=schedule-preview]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypeInput_WithoutARequiredMember_ShowsTheInputsMessageAndDisablesSave()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("input[data-testid=schedule-name]").Input("nightly");

        cut.Find("textarea[data-testid=schedule-input]").Input("""{"times":2}""");
        Time.Advance(TimeSpan.FromMilliseconds(250));

        cut.WaitForAssertion(() =>
        {
            var input = Field(cut, "textarea[data-testid=schedule-input]");
            Assert.Contains("mud-input-error", input.ClassList);
            Assert.Equal("name: The name field is required.", HelperText(input));
            Assert.True(SaveButton(cut).HasAttribute("disabled"));
        });
    }

    [Fact]
    public async Task Save_NewSchedule_CallsCreateWithTheTypedDefinitionAndCloses()
    {
        var (cut, dialog) = await OpenAsync();

        cut.Find("input[data-testid=schedule-name]").Input("weekday-naps");
        Choose(cut, "[data-testid=schedule-workflow]", "nap");
        cut.Find("input[data-testid=schedule-cron]").Input(Weekdays);
        ChooseZone(cut, "Europe/Berlin");
        cut.Find("textarea[data-testid=schedule-input]").Input("""{"seconds":5}""");
        Time.Advance(TimeSpan.FromMilliseconds(250));
        cut.Find("input.mud-switch-input").Change(false);
        Choose(cut, "[aria-label='Fire times missed while down']", "Fire once to catch up");
        cut.WaitForAssertion(() => Assert.Equal("""{"seconds":5}""", Schedules.Validated[^1].Input));
        SaveButton(cut).Click();

        var expected = new ScheduleDefinition
        {
            Workflow = "nap",
            Cron = Weekdays,
            TimeZone = "Europe/Berlin",
            Input = """{"seconds":5}""",
            Enabled = false,
            Misfire = MisfirePolicy.FireOnce,
        };
        cut.WaitForAssertion(() => Assert.Equal(("weekday-naps", expected), Assert.Single(Schedules.Created)));
        var result = await dialog.Result;
        Assert.False(result!.Canceled);
        Assert.Equal("weekday-naps", result.Data);
        Assert.Empty(Schedules.Updated);
    }

    [Fact]
    public async Task Save_NameTakenMeanwhile_ShowsItUnderTheNameAndStaysOpen()
    {
        Schedules.Taken.Add("nightly");
        var (cut, dialog) = await OpenAsync();
        cut.Find("input[data-testid=schedule-name]").Input("nightly");
        cut.WaitForAssertion(() => Assert.False(SaveButton(cut).HasAttribute("disabled")));

        SaveButton(cut).Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("A schedule named 'nightly' exists already.", HelperText(Field(cut, "input[data-testid=schedule-name]")));
            Assert.True(SaveButton(cut).HasAttribute("disabled"));
        });
        Assert.False(dialog.Result.IsCompleted);
        Assert.Empty(Schedules.Created);
        cut.Find("input[data-testid=schedule-name]").Input("nightly-2");
        cut.WaitForAssertion(() => Assert.False(SaveButton(cut).HasAttribute("disabled")));
    }

    [Fact]
    public async Task Save_ExistingSchedule_HidesTheNameAndCallsUpdate()
    {
        var existing = Schedules.Info("nightly", new ScheduleDefinition
        {
            Workflow = "greet",
            Cron = "0 3 * * *",
            TimeZone = "Europe/Berlin",
            Input = """{"name":"Ada"}""",
            Misfire = MisfirePolicy.FireOnce,
        });
        var (cut, dialog) = await OpenAsync(existing);
        Assert.Empty(cut.FindAll("[data-testid=schedule-name]"));
        Assert.Equal("Europe/Berlin", cut.Find("input[data-testid=schedule-zone]").GetAttribute("value"));
        Assert.Equal("Save", SaveButton(cut).TextContent.Trim());

        cut.Find("input[data-testid=schedule-cron]").Input("0 4 * * *");
        cut.WaitForAssertion(() => Assert.Equal("Every day at 04:00", HelperText(Field(cut, "input[data-testid=schedule-cron]"))));
        SaveButton(cut).Click();

        cut.WaitForAssertion(() => Assert.Single(Schedules.Updated));
        var (name, saved) = Schedules.Updated[0];
        Assert.Equal("nightly", name);
        Assert.Equal(existing.Definition with { Cron = "0 4 * * *", Input = saved.Input }, saved);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(existing.Definition.Input), JsonNode.Parse(saved.Input)), saved.Input);
        Assert.Empty(Schedules.Created);
        var result = await dialog.Result;
        Assert.Equal("nightly", result!.Data);
    }

    private async Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> OpenAsync(ScheduleInfo? existing = null)
    {
        var cut = Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = cut.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<ScheduleEditor>();
        if (existing is not null) parameters.Add(e => e.Existing, existing);
        IDialogReference? dialog = null;
        await cut.InvokeAsync(async () => dialog = await dialogs.ShowAsync<ScheduleEditor>("Schedule", parameters, new DialogOptions()));
        cut.WaitForElement("[data-testid=schedule-save]");
        return (cut, dialog!);
    }

    /// <summary>Types part of the zone's id into the autocomplete, waits for its list and picks the zone.</summary>
    private void ChooseZone(IRenderedComponent<ContainerFragment> cut, string zone)
    {
        cut.Find("input[data-testid=schedule-zone]").Input(zone.Split('/')[^1]);
        Time.Advance(TimeSpan.FromMilliseconds(100));
        cut.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == zone).Click();
        cut.WaitForAssertion(() => Assert.Equal(zone, Schedules.Validated[^1].TimeZone));
    }

    /// <summary>Opens the select holding <paramref name="selector"/> and picks the item showing <paramref name="text"/>.</summary>
    private static void Choose(IRenderedComponent<ContainerFragment> cut, string selector, string text)
    {
        Field(cut, selector).MouseDown();
        cut.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == text).Click();
        cut.WaitForAssertion(() => Assert.Equal(text, cut.Find(selector).TextContent.Trim()));
    }

    private static IElement Field(IRenderedComponent<ContainerFragment> cut, string selector) =>
        cut.Find(selector).Closest(".mud-input-control") ?? throw new InvalidOperationException($"{selector} is in no input control.");

    private static string HelperText(IElement field) => field.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    private static IElement SaveButton(IRenderedComponent<ContainerFragment> cut) => cut.Find("button[data-testid=schedule-save]");

    private static List<string> PreviewTimes(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=schedule-preview] li").Select(li => li.TextContent.Trim()).ToList();

    private List<string> ExpectedPreview(string cron, TimeZoneInfo zone)
    {
        Assert.True(CronText.TryParse(cron, out var expression, out var error), error);
        return expression!.Next(Time.GetUtcNow(), zone, 5)
            .Select(at => TimeZoneInfo.ConvertTime(at, zone).ToString("ddd yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))
            .ToList();
    }
}
