using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Tests.Shared;

/// <summary>
/// Keeps a host's log lines in memory, to show with a failed test: the engine logs from Hangfire's worker
/// threads, where no test's output helper is current. Linked into each test project that starts a host.
/// </summary>
public sealed class TestLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public string Tail(int count) => string.Join(Environment.NewLine, lines.ToArray().TakeLast(count));

    public override string ToString() => string.Join(Environment.NewLine, lines);

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
