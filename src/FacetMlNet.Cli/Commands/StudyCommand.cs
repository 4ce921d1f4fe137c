using System.CommandLine;
using System.Diagnostics;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Experiments.Studies;
using FacetMlNet.Models.Backbones;
using FacetMlNet.Models.Heads;

namespace FacetMlNet.Cli.Commands;

/// <summary><c>facetml study</c>: the whole study end to end.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Run name: results go to runs/<name>.", DefaultValueFactory = _ => "default" };
        var cohort = new Option<string?>("--cohort") { Description = "Cohort folder (studies/ + labels.csv); default: the synthetic cohort, generated on first use." };
        var patients = new Option<int>("--patients") { Description = "Patients of the default synthetic cohort.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic cohort and of the split.", DefaultValueFactory = _ => 7 };
        var runs = new Option<string>("--runs") { Description = "Folder of runs.", DefaultValueFactory = _ => "runs" };
        var artifacts = new Option<string>("--artifacts") { Description = "Folder of generated cohorts and caches.", DefaultValueFactory = _ => "artifacts" };
        var slices = new Option<int>("--slices") { Description = "Slices per joint (2.5D, odd).", DefaultValueFactory = _ => 1 };
        var trainers = new Option<HeadTrainerKind[]>("--trainers") { Description = "Head trainers to compare (default: all).", AllowMultipleArgumentsPerToken = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap replicates of the confidence intervals.", DefaultValueFactory = _ => 2000 };
        var device = new Option<ComputeDevice>("--device") { Description = "Backbone device: Cpu or Cuda (falls back to CPU when absent).", DefaultValueFactory = _ => ComputeDevice.Cpu };
        var command = new Command("study", "Run the study: synthesise the default cohort, split by patient, embed, train heads, compare with the readers.")
        {
            name, cohort, patients, seed, runs, artifacts, slices, trainers, bootstrap, device,
        };
        command.SetAction(parse => FacetMlCli.Guard(() =>
        {
            var options = new StudyOptions
            {
                Name = parse.GetValue(name)!,
                CohortDirectory = parse.GetValue(cohort),
                Patients = parse.GetValue(patients),
                Seed = parse.GetValue(seed),
                RunsDirectory = parse.GetValue(runs)!,
                ArtifactsDirectory = parse.GetValue(artifacts)!,
                Crop = new JointCropOptions { Slices = parse.GetValue(slices) },
                Backbone = new BackboneOptions { Device = parse.GetValue(device) },
                BootstrapReplicates = parse.GetValue(bootstrap),
            };
            if (parse.GetValue(trainers) is { Length: > 0 } chosen) options = options with { Trainers = chosen };
            var watch = Stopwatch.StartNew();
            var result = FacetStudy.Run(options, Console.WriteLine);
            Console.WriteLine($"Done in {watch.Elapsed.TotalSeconds:F0} s; peak working set {result.Facts.PeakWorkingSetBytes / (1024 * 1024)} MiB.");
            return 0;
        }));
        return command;
    }
}
