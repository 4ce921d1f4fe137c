using System.CommandLine;
using FacetMlNet.Experiments.Studies;

namespace FacetMlNet.Cli.Commands;

/// <summary><c>facetml evaluate</c>: external validation of a trained model on another cohort.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A study run folder (runs/<name>) with models/ and run.json.", Required = true };
        var cohort = new Option<string>("--cohort") { Description = "The other cohort's folder (studies/ + labels.csv).", Required = true };
        var name = new Option<string>("--name") { Description = "Results go to runs/<name>.", DefaultValueFactory = _ => "external" };
        var runs = new Option<string>("--runs") { Description = "Folder of runs.", DefaultValueFactory = _ => "runs" };
        var artifacts = new Option<string>("--artifacts") { Description = "Folder of caches.", DefaultValueFactory = _ => "artifacts" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap replicates.", DefaultValueFactory = _ => 2000 };
        var command = new Command("evaluate", "Evaluate a trained model on a cohort it never saw (external validation), side by side with its internal test results.")
        {
            model, cohort, name, runs, artifacts, bootstrap,
        };
        command.SetAction(parse => FacetMlCli.Guard(() =>
        {
            ExternalValidation.Run(new ExternalValidationOptions
            {
                RunDirectory = parse.GetValue(model)!,
                CohortDirectory = parse.GetValue(cohort)!,
                Name = parse.GetValue(name)!,
                RunsDirectory = parse.GetValue(runs)!,
                ArtifactsDirectory = parse.GetValue(artifacts)!,
                BootstrapReplicates = parse.GetValue(bootstrap),
            }, Console.WriteLine);
            return 0;
        }));
        return command;
    }
}
