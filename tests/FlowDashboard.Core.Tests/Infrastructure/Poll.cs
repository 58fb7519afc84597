namespace FlowDashboard.Core.Tests.Infrastructure;

/// <summary>Waits for a condition by reading again until it holds, instead of sleeping for a guessed time.</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="condition"/> holds and returns that value; fails with the last value read.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T value;
        do
        {
            value = await read();
            if (condition(value)) return value;
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Timed out waiting for {what}; last seen: {value}");
    }
}
