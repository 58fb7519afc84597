namespace FlowDashboard.Store;

/// <summary>
/// A status as a SQL literal, spelled from the enum itself (statuses are stored by name): the providers' hand-written
/// statements and the model's index filters name statuses through it, never as string literals typed again.
/// </summary>
internal static class SqlText
{
    /// <summary><c>'Completed'</c> for <c>RunStatus.Completed</c>.</summary>
    public static string Literal<TEnum>(TEnum value)
        where TEnum : struct, Enum => $"'{value}'";

    /// <summary><c>('Sleeping', 'Waiting')</c>: a list for <c>IN</c>.</summary>
    public static string List<TEnum>(params TEnum[] values)
        where TEnum : struct, Enum => $"({string.Join(", ", values.Select(Literal))})";
}
