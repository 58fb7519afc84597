using SQLitePCL;

namespace FlowDashboard.Bench.Measurement;

/// <summary>
/// Counts the transactions SQLite commits on the connections it is installed on, through SQLite's own commit
/// hook (<c>sqlite3_commit_hook</c>): SQLite calls it for every write transaction, whoever made it (EF Core,
/// Hangfire's storage, an autocommit statement), and never for a read. A write transaction that changed no
/// row (an UPDATE whose WHERE matched nothing) writes no WAL frame and syncs nothing: it is counted apart.
/// </summary>
public sealed class CommitCounter
{
    private static readonly delegate_commit OnCommit = state =>
    {
        var hook = (HandleHook)state;
        var total = raw.sqlite3_total_changes(hook.Handle);
        if (total != hook.LastTotalChanges)
        {
            hook.LastTotalChanges = total;
            Interlocked.Increment(ref hook.Counter.commits);
        }
        else
        {
            Interlocked.Increment(ref hook.Counter.emptyCommits);
        }

        return 0; // zero lets the commit go on
    };

    private long commits;
    private long emptyCommits;

    /// <summary>Commits that changed at least one row: each writes WAL frames (and, with synchronous=FULL, syncs).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Write transactions that changed no row.</summary>
    public long EmptyCommits => Interlocked.Read(ref emptyCommits);

    /// <summary>Counts the commits of this connection handle from now on (a pooled handle gets it again on every open: it replaces itself).</summary>
    /// <summary>Counts a commit seen elsewhere than in SQLite's hook (a PostgreSQL transaction).</summary>
    public void Counted() => Interlocked.Increment(ref commits);

    public void Install(sqlite3 handle) => raw.sqlite3_commit_hook(handle, OnCommit, new HandleHook(this, handle));

    private sealed class HandleHook(CommitCounter counter, sqlite3 handle)
    {
        public CommitCounter Counter { get; } = counter;

        public sqlite3 Handle { get; } = handle;

        public int LastTotalChanges { get; set; } = raw.sqlite3_total_changes(handle);
    }
}
