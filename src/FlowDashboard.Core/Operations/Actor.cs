using System.Security.Claims;

namespace FlowDashboard.Operations;

/// <summary>How a user appears in the audit log and as the source of the runs they start.</summary>
internal static class Actor
{
    public static string NameOf(ClaimsPrincipal user)
    {
        var name = user.Identity is { IsAuthenticated: true } identity ? identity.Name ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value : null;
        name = string.IsNullOrWhiteSpace(name) ? "anonymous (local)" : name;
        return name.Length <= 200 ? name : name[..200];
    }
}
