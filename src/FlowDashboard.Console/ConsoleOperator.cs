using System.Security.Claims;
using FlowDashboard.Exceptions;
using FlowDashboard.Operations;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace FlowDashboard.Console;

/// <summary>
/// How a console page performs an operator action: ask for confirmation, call the operations service as the
/// signed-in user, and report the outcome in a snackbar. The service itself authorizes and audits.
/// </summary>
internal sealed class ConsoleOperator(
    AuthenticationStateProvider authentication,
    IOperationsService operations,
    IDialogService dialogs,
    ISnackbar snackbar)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Whether the console should offer operator actions to this user at all.</summary>
    public async Task<bool> CanOperateAsync() => await operations.CanOperateAsync(await UserAsync());

    /// <summary>Confirms, acts, reports; returns whether the action was carried out.</summary>
    /// <param name="question">The confirmation's title, such as "Retry step check-inventory?".</param>
    /// <param name="explanation">What will happen, in a sentence.</param>
    /// <param name="confirm">The confirming button's text, naming the effect: "Cancel 32 runs", "Retry step payment".</param>
    /// <param name="action">The call to the operations service; returns the success message.</param>
    /// <param name="dismiss">
    /// The dismissing button's text, naming what it leaves: "Keep it", "Keep them". Never "Cancel": next to
    /// "Cancel 32 runs" it reads as the same button.
    /// </param>
    public async Task<bool> ActAsync(
        string question, string explanation, string confirm, Func<ClaimsPrincipal, Task<string>> action, string dismiss = "Go back")
    {
        var answer = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = question,
            Message = explanation,
            YesText = confirm,
            CancelText = dismiss,
        });
        if (answer != true) return false;

        try
        {
            snackbar.Add(await action(await UserAsync()), Severity.Success);
            return true;
        }
        catch (Exception ex) when (ex is FlowDashboardException or ArgumentException)
        {
            snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
    }

    /// <summary>Acts without asking (starting a run from a dialog that was itself the confirmation), reporting the outcome.</summary>
    public async Task<bool> ActNowAsync(Func<ClaimsPrincipal, Task<string>> action)
    {
        try
        {
            snackbar.Add(await action(await UserAsync()), Severity.Success);
            return true;
        }
        catch (Exception ex) when (ex is FlowDashboardException or ArgumentException)
        {
            snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
    }
}
