using System.CommandLine;
using FacetMlNet.Cohorts;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Cli.Commands;

/// <summary><c>facetml crops</c>: writes the joint crops the model sees as PNG files with a pseudonymised manifest.</summary>
internal static class CropsCommand
{
    public static Command Create()
    {
        var cohort = new Option<string>("--cohort") { Description = "Cohort folder (studies/ + labels.csv).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "artifacts/crops" };
        var slices = new Option<int>("--slices") { Description = "Slices per joint (2.5D, odd).", DefaultValueFactory = _ => 1 };
        var window = new Option<string>("--window") { Description = "VOI window preset: bone or soft-tissue.", DefaultValueFactory = _ => "bone" };
        var limit = new Option<int>("--limit") { Description = "At most this many joints (0: all).", DefaultValueFactory = _ => 0 };
        var salt = new Option<string>("--salt-file") { Description = "Pseudonym salt (created if absent); keep it private.", DefaultValueFactory = _ => "artifacts/pseudonym-salt.txt" };
        var command = new Command("crops", "Write each joint's crop(s) as PNG with a manifest of pseudonyms and reference grades.")
        {
            cohort, output, slices, window, limit, salt,
        };
        command.SetAction(parse => FacetMlCli.Guard(() =>
        {
            var dir = parse.GetValue(cohort)!;
            var loaded = Cohort.Load(Path.Combine(dir, "studies"), Path.Combine(dir, "labels.csv"));
            var cropper = new JointCropper(new JointCropOptions { Slices = parse.GetValue(slices), Window = VoiWindow.FromName(parse.GetValue(window)!) });
            var joints = loaded.Joints.ToList();
            if (parse.GetValue(limit) > 0) joints = [.. joints.Take(parse.GetValue(limit))];
            var written = new JointDataset(loaded, cropper, Pseudonymizer.FromSaltFile(parse.GetValue(salt)!)).WritePngs(joints, parse.GetValue(output)!);
            Console.WriteLine($"Wrote {written} crops of {joints.Count} joints and manifest.csv to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
