using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using FlowDashboard.Tests.Shared;

namespace FlowDashboard.Host.Tests.Infrastructure;

/// <summary>
/// A real host started as a child process (<c>dotnet FlowDashboard.Host.dll</c>, the standalone host, or another app
/// of the repository) on a loopback port, so a test can SIGKILL it and start it again on the same store.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output;

    private HostProcess(Process process, StringBuilder output, Uri address)
    {
        this.process = process;
        this.output = output;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The process's id, as the host's side effects may record it.</summary>
    public int ProcessId => process.Id;

    /// <summary>What the host printed so far: shown when an assertion fails.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>
    /// Settings that keep every file of a test host in <paramref name="folder"/> (its store too, or on PostgreSQL a
    /// database named after the folder: <see cref="TestStore"/>), with a short follow-up
    /// delay, fast schedule polling and a payment gateway that never fails. The address is chosen once: a host
    /// started again listens where it did before, as a deployed one does, so the calls it recorded to its own
    /// endpoints still reach it.
    /// </summary>
    public static Dictionary<string, string> SettingsFor(string folder, TimeSpan followUpDelay) => new()
    {
        ["urls"] = $"http://127.0.0.1:{FreePort()}",
        ["FlowDashboard:Store"] = TestStore.IsPostgreSql ? "PostgreSql" : "Sqlite",
        ["ConnectionStrings:Flows"] = TestStore.ConnectionString(folder),
        ["Examples:OutboxPath"] = Path.Combine(folder, "outbox"),
        ["Examples:ImagesPath"] = Path.Combine(folder, "images"),
        ["Examples:LabelsPath"] = Path.Combine(folder, "labels"),
        ["Examples:FollowUpDelay"] = followUpDelay.ToString("c"),
        ["Examples:PaymentFailureRate"] = "0",
        ["FlowDashboard:SchedulePollingInterval"] = "00:00:00.2",

        // A restarted host on PostgreSQL frees no lease (another instance may hold it): a run leased by the killed
        // process goes on once its lease expires and the reconciler passes. Both are shortened here from 60 s and 30 s.
        ["FlowDashboard:LeaseDuration"] = "00:00:10",
        ["FlowDashboard:ReconcileInterval"] = "00:00:05",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The standalone host's project, the one started unless another is named.</summary>
    public const string StandaloneHost = "src/FlowDashboard.Host";

    /// <summary>
    /// Starts the app of <paramref name="project"/> (a folder of the repository) with <paramref name="settings"/> (such as
    /// <see cref="SettingsFor"/>'s) as command-line configuration and waits until its API answers.
    /// </summary>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout, string project = StandaloneHost)
    {
        var host = Spawn(settings, project);
        await host.WaitUntilServingAsync(timeout);
        return host;
    }

    /// <summary>Starts the host without waiting for it: a test may kill it at any moment of its start-up.</summary>
    public static HostProcess Spawn(IReadOnlyDictionary<string, string> settings, string project = StandaloneHost)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppAssembly(project));
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, output, new Uri(settings["urls"]));
    }

    /// <summary>Waits until the API answers; fails with what the host printed when it exits or the time is up.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/flows/api/workflows")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await DisposeAsync();
        throw new TimeoutException($"The host did not answer within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) await KillAsync();
        process.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FlowDashboard.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("FlowDashboard.sln not found above " + AppContext.BaseDirectory);
    }

    private static string AppAssembly(string project)
    {
        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first.", path);
    }
}
