using FlowDashboard.Bench;
using FlowDashboard.Bench.Reporting;

var settings = BenchSettings.Parse(args);
var machine = MachineInfo.Read();
Console.WriteLine($"FlowDashboard bench{(settings.Quick ? " --quick" : string.Empty)} on {machine.Summary}");
var results = await new BenchRunner(settings, Console.Out).RunAsync();
var report = new BenchReport(results, machine with { LoadAverageAfter = MachineInfo.LoadAverage() }, settings);
Console.WriteLine();
Console.WriteLine(report.Text());
await report.WriteFilesAsync(Directory.GetCurrentDirectory());
// The targets are shown, not asserted; a scenario that failed or lost a run is an error.
return results.Any(r => r.Note is { } note && (note.StartsWith("FAILED", StringComparison.Ordinal) || note.Contains("NOT ALL", StringComparison.Ordinal))) ? 1 : 0;
