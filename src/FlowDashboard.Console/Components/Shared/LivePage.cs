using FlowDashboard.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Console.Components.Shared;

/// <summary>
/// A page that stays current without polling: the engine's change feed marks it stale and it re-reads the
/// store, at most once per <see cref="FlowDashboardOptions.ConsoleRefreshInterval"/> however busy the engine is.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly Lock gate = new();
    private IDisposable? subscription;
    private bool scheduled;
    private DateTimeOffset lastRead = DateTimeOffset.MinValue;

    [Inject]
    private RunChangeFeed Changes { get; set; } = default!;

    [Inject]
    private IOptions<FlowDashboardOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Disposed => disposed.Token;

    /// <summary>Reads what the page shows from the store.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Whether a change of this run concerns the page; every change does by default.</summary>
    protected virtual bool Concerns(string runId) => true;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        subscription = Changes.Subscribe(runId =>
        {
            if (Concerns(runId)) Schedule();
        });
        await ReloadAsync();
    }

    /// <summary>Reads the store now (after an operator action, a filter change).</summary>
    protected async Task ReloadAsync()
    {
        lastRead = Time.GetUtcNow();
        await LoadAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        OnDisposing();
        subscription?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the page itself holds (event handlers), before the feed subscription goes.</summary>
    protected virtual void OnDisposing()
    {
    }

    private void Schedule()
    {
        lock (gate)
        {
            if (scheduled || disposed.IsCancellationRequested) return;
            scheduled = true;
        }

        var wait = lastRead + Options.Value.ConsoleRefreshInterval - Time.GetUtcNow();
        _ = InvokeAsync(async () =>
        {
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, Time, Disposed);
                lock (gate) scheduled = false;
                await ReloadAsync();
                StateHasChanged();
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
    }
}
