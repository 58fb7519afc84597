using System.Diagnostics;
using System.Text;

namespace FlowDashboard.Packaging.Tests.Infrastructure;

/// <summary>A command run to its end, its output kept: the test fails with what the command said.</summary>
internal static class ProcessRun
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/>; fails the test with its output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', info.ArgumentList)} did not end within {timeout}:\n{output}");
        }

        process.WaitForExit();
        var text = output.ToString();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}:\n{text}");
        return text;
    }
}
