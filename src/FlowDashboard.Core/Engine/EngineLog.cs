using Microsoft.Extensions.Logging;

namespace FlowDashboard.Engine;

/// <summary>The engine's log messages on hot or unusual paths.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "An unexpected error stopped a step of run {RunId}; the run resumes from its last record")]
    public static partial void LogUnexpected(this ILogger logger, Exception error, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of step {Step} of run {RunId} was not recorded; the step runs again when the run resumes")]
    public static partial void LogCompletionNotRecorded(this ILogger logger, Exception? error, string step, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event {EventId} kept for run {RunId} was dropped by its wait {Step}: {Reason}")]
    public static partial void LogKeptEventDropped(this ILogger logger, string eventId, string runId, string step, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tag {Key} was not added to run {RunId}: a run carries at most {Max} tags")]
    public static partial void LogTagLeftOut(this ILogger logger, string key, string runId, int max);
}
