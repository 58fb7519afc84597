using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FlowDashboard.Packaging.Tests.Infrastructure;

namespace FlowDashboard.Packaging.Tests;

/// <summary>
/// What a new user does: packs the packages into a folder feed, makes an app with <c>dotnet new web</c>, adds the two
/// packages by version, writes the README's <c>Program.cs</c> as it stands there, runs it and uses its workflow over
/// HTTP and its console under <c>/flows</c>.
/// </summary>
public sealed partial class FreshAppTests : IAsyncLifetime
{
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(10);
    private static readonly string[] Packages =
        ["FlowDashboard.Core", "FlowDashboard.Console", "FlowDashboard.Sqlite", "FlowDashboard.PostgreSql", "FlowDashboard.Migrations.Sqlite", "FlowDashboard.Migrations.PostgreSql"];

    // A version of this run's own: NuGet caches a package by id and version, so an earlier run's packages are never used.
    private readonly string version = $"0.9.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly string work = Path.Combine(Path.GetTempPath(), "flowdashboard-packaging-" + Guid.NewGuid().ToString("N"));
    private Process? app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(work);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (app is { HasExited: false }) app.Kill(entireProcessTree: true);
        app?.Dispose();
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);

        // This run's packages leave NuGet's cache with it.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Packages)
        {
            var folder = Path.Combine(cache, id.ToLowerInvariant(), version);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task FreshWebApp_ThePackagesByVersionAndTheReadmesProgram_RunsItsWorkflowAndServesTheConsoleQuietly()
    {
        var repository = RepositoryRoot();
        var feed = Path.Combine(work, "feed");
        await ProcessRun.RunAsync("bash", [Path.Combine(repository, "scripts", "pack.sh"), feed, version], repository, Build);
        AssertPackagesDescribeThemselves(feed);

        // The app as `dotnet new web` makes it, outside the checkout, with the feed beside the machine's own sources.
        await ProcessRun.RunAsync("dotnet", ["new", "web", "-o", "app", "--no-restore"], work, TimeSpan.FromMinutes(2));
        var appFolder = Path.Combine(work, "app");
        await File.WriteAllTextAsync(Path.Combine(appFolder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="flowdashboard" value="{feed}" />
              </packageSources>
            </configuration>
            """, Ct);
        await ProcessRun.RunAsync("dotnet", ["add", "package", "FlowDashboard.Console", "--version", version], appFolder, Build);
        await ProcessRun.RunAsync("dotnet", ["add", "package", "FlowDashboard.Sqlite", "--version", version], appFolder, Build);
        var project = await File.ReadAllTextAsync(Path.Combine(appFolder, "app.csproj"), Ct);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("EntityFrameworkCore", project, StringComparison.Ordinal);
        Assert.DoesNotContain("Hangfire", project, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(appFolder, "Program.cs"), ReadmeProgram(repository), Ct);
        var built = await ProcessRun.RunAsync("dotnet", ["build"], appFolder, Build);

        // As a user builds it; the one warning allowed is this machine's partial NuGet mirror serving a newer patch (NU1603).
        var warnings = built.Split('\n').Where(line => line.Contains(": warning ", StringComparison.Ordinal) && !line.Contains("NU1603", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, $"The app builds without warnings:\n{string.Join('\n', warnings)}");

        var port = FreePort();
        var log = new StringBuilder();
        app = StartApp(appFolder, port, log);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await UntilAsync(async () => (await TryGetAsync(http, "/flows/api/workflows"))?.StatusCode == HttpStatusCode.OK, "the app to listen", log);

        // Its workflow, over HTTP: triggered, run to its end, read back.
        var runIds = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var started = await http.PostAsync("/flows/api/workflows/greet/runs", new StringContent($"\"Ada {i}\"", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            runIds.Add((await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString()!);
        }

        foreach (var runId in runIds)
        {
            JsonElement run = default;
            await UntilAsync(async () => (run = await http.GetFromJsonAsync<JsonElement>($"/flows/api/runs/{runId}", Ct)).GetProperty("status").GetString() == "Completed", $"run {runId} to complete", log);
            Assert.StartsWith("HELLO, ADA ", run.GetProperty("output").GetString(), StringComparison.Ordinal);
            Assert.Equal(["compose", "pause", "shout"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        }

        // The console under /flows, with its own stylesheet from the package.
        var page = await http.GetStringAsync("/flows/", Ct);
        Assert.Contains("FlowDashboard", page, StringComparison.Ordinal);
        var stylesheet = StylesheetPattern().Match(page);
        Assert.True(stylesheet.Success, $"The console's page names its stylesheet:\n{page}");
        var css = await http.GetAsync("/flows/" + stylesheet.Groups["href"].Value, Ct);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);

        // Twenty runs of three steps at the default Information level: no SQL, and no line per run.
        string text;
        lock (log) text = log.ToString();
        TestContext.Current.TestOutputHelper?.WriteLine($"The app's whole log ({text.Split('\n').Length} lines):\n{text}");
        Assert.DoesNotContain("Executed DbCommand", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", text, StringComparison.Ordinal);
        Assert.DoesNotContain(runIds, runId => text.Contains(runId, StringComparison.Ordinal));
        Assert.True(text.Split('\n').Length < 60, $"The app's log stays short:\n{text}");
    }

    /// <summary>Each package says what it is, under which license, with the README and its symbols beside it.</summary>
    private void AssertPackagesDescribeThemselves(string feed)
    {
        foreach (var id in Packages)
        {
            var path = Path.Combine(feed, $"{id}.{version}.nupkg");
            Assert.True(File.Exists(path), $"{path} was packed: {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
            Assert.True(File.Exists(Path.ChangeExtension(path, ".snupkg")), $"{id} has its symbols package");
            using var package = ZipFile.OpenRead(path);
            var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Assert.Equal((id, version), (Field("id"), Field("version")));
            Assert.NotEmpty(Field("description"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.Contains("workflow", Field("tags"), StringComparison.Ordinal);
            Assert.Contains(package.Entries, e => e.FullName == "README.md");
            if (id.StartsWith("FlowDashboard.Migrations", StringComparison.Ordinal)) continue;
            Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
        }
    }

    /// <summary>The README's <c>Program.cs</c>: the C# block after its packaging-test marker, as it stands.</summary>
    private static string ReadmeProgram(string repository)
    {
        var readme = File.ReadAllText(Path.Combine(repository, "README.md"));
        var marker = readme.IndexOf("<!-- packaging-test: Program.cs -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, "The README marks the Program.cs it shows.");
        var start = readme.IndexOf("```csharp\n", marker, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static Process StartApp(string folder, int port, StringBuilder log)
    {
        // As a user starts it (`dotnet run`, its launch profile's Development environment), on a port of the test's own.
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "run", "--no-build", "--", "--urls", $"http://127.0.0.1:{port}" }) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<HttpResponseMessage?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return await http.GetAsync(path, Ct);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, StringBuilder log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                lock (log) Assert.Fail($"Waited in vain for {what}. The app's log:\n{log}");
            }

            await Task.Delay(200, Ct);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FlowDashboard.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("The test runs inside the repository.");
    }

    [GeneratedRegex("href=\"(?<href>_content/FlowDashboard\\.Console/[^\"]+\\.css)\"")]
    private static partial Regex StylesheetPattern();
}
