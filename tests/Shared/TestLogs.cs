using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Tests.Shared;

/// <summary>
/// Keeps a host's log lines in memory, to show with a failed test: the engine logs from Hangfire's worker
/// threads, where no test's output helper is current. Each line ends with the scopes it was logged in, as
/// <c>{Name=value, ...}</c>. Linked into each test project that starts a host.
/// </summary>
public sealed class TestLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines, () => scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    /// <summary>Every line so far, oldest first.</summary>
    public IReadOnlyList<string> Lines => lines.ToArray();

    public void Dispose()
    {
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public string Tail(int count) => string.Join(Environment.NewLine, lines.ToArray().TakeLast(count));

    public override string ToString() => string.Join(Environment.NewLine, lines);

    private sealed class Logger(string category, ConcurrentQueue<string> lines, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scoped = new List<string>();
            scopes().ForEachScope(
                (scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs) list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                },
                scoped);
            var suffix = scoped.Count == 0 ? "" : $" {{{string.Join(", ", scoped)}}}";
            lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{suffix}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
