using System.Security.Claims;
using FlowDashboard.Exceptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Operations;

/// <summary>
/// Who may act: the one check behind every operator action (runs and schedules alike), in the services that
/// perform them, so hiding a button is never the only guard.
/// </summary>
internal sealed class OperatorGate(IAuthorizationService authorization, IOptions<FlowDashboardOptions> options)
{
    public bool IsReadOnly => options.Value.ReadOnly;

    public async Task<bool> CanOperateAsync(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (IsReadOnly) return false;

        // Without an operate policy the view gate decides alone (local requests only, unless the host set a view policy).
        return options.Value.OperatePolicy is not { } policy || (await authorization.AuthorizeAsync(user, policy)).Succeeded;
    }

    /// <summary>Returns the actor's name for the audit log, or throws when they may not act.</summary>
    /// <param name="user">Who acts.</param>
    /// <param name="what">What they want to do, for the message: "retry steps".</param>
    /// <exception cref="OperationForbiddenException">Read-only, or the operate policy refuses them.</exception>
    public async Task<string> AuthorizeAsync(ClaimsPrincipal user, string what)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (IsReadOnly) throw new OperationForbiddenException($"FlowDashboard is read-only: nobody may {what}.");
        if (!await CanOperateAsync(user))
        {
            throw new OperationForbiddenException($"You may not {what}: the operate policy '{options.Value.OperatePolicy}' does not allow it.");
        }

        return Actor.NameOf(user);
    }
}
