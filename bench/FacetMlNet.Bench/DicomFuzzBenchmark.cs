using System.Diagnostics;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.Tests;

namespace FacetMlNet.Bench;

/// <summary>
/// The long run of the mutation fuzz test: random flips, truncations and length edits of every corpus file for a
/// time budget. Only DicomFormatException, DicomDataException and DicomCodecException may escape; anything else is
/// printed with its file and mutation seed and fails the run. Every fourth mutant is also written to disk and read in
/// tiny windows with almost every value deferred, as the windowed reader must hold to the same rule.
/// </summary>
internal static class DicomFuzzBenchmark
{
    public static int Run(string corpus, int seconds)
    {
        var dir = Path.Combine(corpus, "files");
        if (!Directory.Exists(dir)) { Console.Error.WriteLine($"corpus not found at {corpus} (--corpus DIR)"); return 2; }
        var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToList();
        var tiny = new DicomReadOptions { LargeValueThreshold = 16, FirstReadSize = 64 };
        var temp = Directory.CreateTempSubdirectory("facetml-fuzz-").FullName;
        var watch = Stopwatch.StartNew();
        long mutants = 0, refused = 0;
        var escaped = 0;
        try
        {
            for (var seed = 0; watch.Elapsed.TotalSeconds < seconds; seed++)
            {
                var rng = new Random(seed);
                foreach (var (path, original) in files)
                {
                    var bytes = DicomFuzz.Mutate(original, rng);
                    mutants++;
                    var onDisk = mutants % 4 == 0 ? Path.Combine(temp, Path.GetFileName(path)) : null;
                    if (onDisk is not null) File.WriteAllBytes(onDisk, bytes);
                    try
                    {
                        var file = onDisk is null ? DicomFile.Open(bytes, path) : DicomFile.Open(onDisk, tiny);
                        if (file.Dataset.Contains(DicomTag.PixelData)) DicomPixelData.Create(file).GetFrameSamples(0);
                    }
                    catch (Exception e) when (e is DicomFormatException or DicomDataException or DicomCodecException) { refused++; }
                    catch (Exception e)
                    {
                        escaped++;
                        Console.WriteLine($"ESCAPED {e.GetType().Name} on {Path.GetFileName(path)} seed {seed}{(onDisk is null ? "" : " (from disk, windowed)")}: {e.Message}");
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        Console.WriteLine($"{mutants} mutants of {files.Count} files in {watch.Elapsed.TotalSeconds:F0} s ({mutants / watch.Elapsed.TotalSeconds:F0}/s), a quarter read from disk in windows: {refused} refused with a documented exception, {escaped} escaped");
        return escaped == 0 ? 0 : 1;
    }
}
