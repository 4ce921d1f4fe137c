using System.CommandLine;
using System.Text.Json;
using FacetMlNet.Dicom;

namespace FacetMlNet.Cli.Commands;

/// <summary><c>facetml dicom info</c>: a dcmdump-like summary per file.</summary>
internal static class DicomCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Write a JSON array instead of one line per file." };
        var phi = new Option<bool>("--show-phi") { Description = "Also show the patient identifier (off by default)." };
        var info = new Command("info", "Per file: transfer syntax, modality, size, bits, photometric, rescale, window, spacing, UIDs, whether the pixels decode and the SHA-256 of frame 0's stored values.")
        {
            paths, json, phi,
        };
        info.SetAction(parse => FacetMlCli.Guard(() =>
        {
            var failed = 0;
            var summaries = new List<DicomFileSummary>();
            foreach (var summary in DicomFileSummary.ReadAll(parse.GetValue(paths)!, parse.GetValue(phi)))
            {
                if (summary.Failed) failed++;
                if (parse.GetValue(json)) summaries.Add(summary);
                else Console.WriteLine(summary.ToLine());
            }
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(summaries, new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
                }));
            return failed == 0 ? 0 : 1;
        }));
        return new Command("dicom", "Inspect DICOM files.") { info };
    }
}
