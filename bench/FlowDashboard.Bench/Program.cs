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
return results.Any(r => r.Note?.Contains("NOT ALL", StringComparison.Ordinal) == true) ? 1 : 0;
