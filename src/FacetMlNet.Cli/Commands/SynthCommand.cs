using System.CommandLine;
using System.Diagnostics;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Synthetic;

namespace FacetMlNet.Cli.Commands;

/// <summary><c>facetml synth</c>: writes a synthetic cohort.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Number of patients.", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives byte-identical output.", DefaultValueFactory = _ => 7 };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "artifacts/cohort" };
        var contrast = new Option<SyntheticContrast>("--contrast") { Description = "CT (HU) or MR (T1-like).", DefaultValueFactory = _ => SyntheticContrast.CT };
        var centre = new Option<string>("--centre") { Description = "Acquisition centre: internal, external or high-resolution.", DefaultValueFactory = _ => "internal" };
        var slices = new Option<int>("--slices-per-level") { Description = "Axial slices per level.", DefaultValueFactory = _ => 5 };
        var unsigned = new Option<bool>("--unsigned") { Description = "Store CT pixels unsigned in 12 bits instead of signed 16-bit (Rescale Intercept −1024 either way)." };
        var preview = new Option<bool>("--preview") { Description = "Also write preview-<finding>.png: crops per reference grade." };
        var command = new Command("synth", "Generate a synthetic lumbar facet cohort (DICOM studies, labels.csv, cohort.json).")
        {
            patients, seed, output, contrast, centre, slices, unsigned, preview,
        };
        command.SetAction(parse => FacetMlCli.Guard(() =>
        {
            var options = new SyntheticCohortOptions
            {
                Patients = parse.GetValue(patients),
                Seed = parse.GetValue(seed),
                Contrast = parse.GetValue(contrast),
                Centre = CentreProfile.FromName(parse.GetValue(centre)!),
                SlicesPerLevel = parse.GetValue(slices),
                SignedPixels = !parse.GetValue(unsigned),
            };
            var watch = Stopwatch.StartNew();
            var cohort = SyntheticCohortGenerator.Generate(options, parse.GetValue(output)!, new ConsoleProgress(options.Patients, "patients"));
            Console.Error.WriteLine();
            Console.WriteLine($"Wrote {cohort.Patients} patients ({cohort.Excluded} flagged for exclusion), {cohort.Files} DICOM files in {watch.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine($"  studies: {cohort.StudiesDirectory}");
            Console.WriteLine($"  labels:  {cohort.LabelsCsv}");
            if (parse.GetValue(preview))
                foreach (var path in CropMosaic.WritePreviews(cohort.Directory, options.DisplayWindow))
                    Console.WriteLine($"  preview: {path}");
            return 0;
        }));
        return command;
    }
}
