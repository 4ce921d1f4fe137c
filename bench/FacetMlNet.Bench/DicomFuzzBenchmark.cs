using System.Diagnostics;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.Tests;

namespace FacetMlNet.Bench;

/// <summary>
/// The long run of the mutation fuzz test: random flips, truncations and length edits of every corpus file for a
/// time budget. Only DicomFormatException, DicomDataException and DicomCodecException may escape; anything else is
/// printed with its file and mutation seed and fails the run.
/// </summary>
internal static class DicomFuzzBenchmark
{
    public static int Run(string corpus, int seconds)
    {
        var dir = Path.Combine(corpus, "files");
        if (!Directory.Exists(dir)) { Console.Error.WriteLine($"corpus not found at {corpus} (--corpus DIR)"); return 2; }
        var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToList();
        var watch = Stopwatch.StartNew();
        long mutants = 0, refused = 0;
        var escaped = 0;
        for (var seed = 0; watch.Elapsed.TotalSeconds < seconds; seed++)
        {
            var rng = new Random(seed);
            foreach (var (path, original) in files)
            {
                var bytes = DicomFuzz.Mutate(original, rng);
                mutants++;
                try
                {
                    var file = DicomFile.Open(bytes, path);
                    if (file.Dataset.Contains(DicomTag.PixelData)) DicomPixelData.Create(file).GetFrameSamples(0);
                }
                catch (Exception e) when (e is DicomFormatException or DicomDataException or DicomCodecException) { refused++; }
                catch (Exception e)
                {
                    escaped++;
                    Console.WriteLine($"ESCAPED {e.GetType().Name} on {Path.GetFileName(path)} seed {seed}: {e.Message}");
                }
            }
        }
        Console.WriteLine($"{mutants} mutants of {files.Count} files in {watch.Elapsed.TotalSeconds:F0} s ({mutants / watch.Elapsed.TotalSeconds:F0}/s): {refused} refused with a documented exception, {escaped} escaped");
        return escaped == 0 ? 0 : 1;
    }
}
