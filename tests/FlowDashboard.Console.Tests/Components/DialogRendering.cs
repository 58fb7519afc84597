using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace FlowDashboard.Console.Tests.Components;

/// <summary>Renders a page with MudBlazor's dialog and popover providers, to test what its confirmations ask.</summary>
public static class DialogRendering
{
    /// <summary>
    /// Renders <typeparamref name="T"/> after a <see cref="MudDialogProvider"/> and a <see cref="MudPopoverProvider"/> in one
    /// fragment: a dialog the page opens is drawn in the provider, so query the result for it.
    /// </summary>
    /// <param name="context">The test's bUnit context.</param>
    /// <param name="parameters">The component's parameters by name.</param>
    public static IRenderedComponent<ContainerFragment> RenderWithDialogs<T>(this BunitContext context, IReadOnlyDictionary<string, object?>? parameters = null)
        where T : IComponent =>
        context.Render(builder =>
        {
            builder.OpenComponent<MudDialogProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudPopoverProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<T>(2);
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            {
                builder.AddAttribute(3, name, value);
            }

            builder.CloseComponent();
        });

    /// <summary>The open dialog, once it is drawn.</summary>
    public static IElement WaitForDialog(this IRenderedComponent<ContainerFragment> cut) => cut.WaitForElement(".mud-dialog");

    /// <summary>The labels of the open dialog's buttons, in order.</summary>
    public static IReadOnlyList<string> DialogButtons(this IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll(".mud-dialog button").Select(b => b.TextContent.Trim()).ToList();

    /// <summary>Clicks the open dialog's button with this label.</summary>
    public static void ClickDialogButton(this IRenderedComponent<ContainerFragment> cut, string label) =>
        cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == label).Click();
}
