using System.Text.Json;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// The real-file corpus of shared/dicom-corpus (or $FACETML_DICOM_CORPUS): never copied into the project. Tests that
/// need it skip, saying why, where it is absent.
/// </summary>
internal static class DicomCorpus
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    public static string SkipReason =>
        "DICOM corpus not found: set FACETML_DICOM_CORPUS or place shared/dicom-corpus beside the repository (../shared/dicom-corpus).";

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("FACETML_DICOM_CORPUS");
        if (!string.IsNullOrEmpty(env)) return File.Exists(Path.Combine(env, "manifest.json")) ? env : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "FacetMlNet.sln"))) continue;
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "dicom-corpus"));
            return File.Exists(Path.Combine(candidate, "manifest.json")) ? candidate : null;
        }
        return null;
    }

    public static IReadOnlyList<JsonElement> Entries()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory!, "manifest.json")));
        return [.. doc.RootElement.GetProperty("files").EnumerateArray().Select(e => e.Clone())];
    }

    public static string PathOf(JsonElement entry) => Path.Combine(Directory!, "files", entry.GetProperty("file").GetString()!);
}
