using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Tests.Shared;

namespace FacetMlNet.Bench;

/// <summary>
/// Decodes the corpus's uncompressed CT and MR files (read, stored values of every frame, rescale) with FacetMlNet and with
/// pydicom 2.3 (Debian's python3, apply_modality_lut) in the same run, and prints files/s, MB/s and the ratio. The
/// headline is like for like: a new array per frame, as pydicom's pixel_array. A second line decodes into one reused
/// buffer, as a caller filling a volume does with <see cref="DicomPixelData.GetFrameModality(int, double, double, Span{float})"/>;
/// a third reads each file whole (<see cref="DicomReadOptions.ReadAll"/>), the baseline of reading Pixel Data on demand.
/// </summary>
internal static class DicomDecodeBenchmark
{
    private static readonly string[] Native = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"];

    public static int Run(string corpus, int rounds)
    {
        var manifest = Path.Combine(corpus, "manifest.json");
        if (!File.Exists(manifest)) { Console.Error.WriteLine($"corpus not found at {corpus} (--corpus DIR)"); return 2; }
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        var files = doc.RootElement.GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("modality").ValueKind == JsonValueKind.String && f.GetProperty("modality").GetString() is "CT" or "MR"
                && Native.Contains(f.GetProperty("transfer_syntax").GetString())
                && f.TryGetProperty("reference_decodable", out var ok) && ok.ValueKind == JsonValueKind.True
                && f.GetProperty("samples_per_pixel").ValueKind == JsonValueKind.Number && f.GetProperty("samples_per_pixel").GetInt32() == 1)
            .Select(f => Path.Combine(corpus, "files", f.GetProperty("file").GetString()!)).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"{files.Count} uncompressed CT/MR files, {bytes / 1e6:F2} MB, {rounds} rounds; median of {Repeats} repeats, variants interleaved");

        // Interleaved repeats and medians: one slow moment of a small shared machine then shifts no single variant.
        var times = new List<double>[3];
        for (var v = 0; v < times.Length; v++) times[v] = [];
        double checksum = 0;
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            (var t, checksum) = Measure(files, rounds, reuse: false, DicomReadOptions.Default);
            times[0].Add(t);
            times[1].Add(Measure(files, rounds, reuse: true, DicomReadOptions.Default).Seconds);
            times[2].Add(Measure(files, rounds, reuse: false, DicomReadOptions.ReadAll).Seconds);
        }
        var (ours, reused, whole) = (Median(times[0]), Median(times[1]), Median(times[2]));

        // Memory: every file held open, as a series is before it becomes a volume.
        var (heldDeferred, heldWhole) = (HeldBytes(files, DicomReadOptions.Default), HeldBytes(files, DicomReadOptions.ReadAll));

        var python = Pydicom(files, rounds);
        Report("FacetMlNet", files.Count * rounds, bytes * rounds, ours);
        Report("  into a reused buffer", files.Count * rounds, bytes * rounds, reused);
        Report("  files read whole", files.Count * rounds, bytes * rounds, whole);
        Console.WriteLine($"holding the {files.Count} files open: {heldDeferred / 1e6:F2} MB managed with Pixel Data on demand, " +
            $"{heldWhole / 1e6:F2} MB read whole ({heldWhole / Math.Max(1.0, heldDeferred):F0}x)");
        if (python is null)
        {
            Console.WriteLine("pydicom: not measured (apt-get install python3-pydicom python3-numpy)");
            return 0;
        }
        Report("pydicom 2.3", files.Count * rounds, bytes * rounds, python.Value.Seconds);
        Console.WriteLine($"ratio FacetMlNet / pydicom: {python.Value.Seconds / ours:F2}x faster (goal ≥ 3x); into a reused buffer {python.Value.Seconds / reused:F2}x; " +
            $"checksums {checksum / rounds:F0} vs {python.Value.Checksum:F0}");
        return 0;
    }

    private const int Repeats = 5;

    private static long HeldBytes(IReadOnlyList<string> files, DicomReadOptions options)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var held = files.Select(f => DicomFile.Open(f, options)).ToList();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(held);
        return after - before;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static (double Seconds, double Checksum) Measure(IReadOnlyList<string> files, int rounds, bool reuse, DicomReadOptions options)
    {
        // Warm up, then measure.
        DecodeAll(files, reuse, options);
        var watch = Stopwatch.StartNew();
        double checksum = 0;
        for (var r = 0; r < rounds; r++) checksum += DecodeAll(files, reuse, options);
        return (watch.Elapsed.TotalSeconds, checksum);
    }

    private static double DecodeAll(IEnumerable<string> files, bool reuse, DicomReadOptions options)
    {
        double sum = 0;
        float[] buffer = [];
        foreach (var path in files)
        {
            // Every frame, as pydicom's pixel_array decodes every frame; the checksum takes frame 0's middle pixel.
            var file = DicomFile.Open(path, options);
            var (slope, intercept) = PixelFunctions.GetRescale(file.Dataset);
            var pixels = DicomPixelData.Create(file);
            var count = pixels.Rows * pixels.Columns;
            if (reuse && buffer.Length < count) buffer = new float[count];
            for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
            {
                float[] values;
                if (reuse) pixels.GetFrameModality(frame, slope, intercept, (values = buffer).AsSpan(0, count));
                else values = pixels.GetFrameModality(frame, slope, intercept);
                if (frame == 0) sum += values[count / 2];
            }
        }
        return sum;
    }

    private static void Report(string who, int files, long bytes, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{who,-22} {seconds,7:F3} s  {files / seconds,8:F0} files/s  {bytes / seconds / 1e6,7:F1} MB/s"));

    private static (double Seconds, double Checksum)? Pydicom(IReadOnlyList<string> files, int rounds)
    {
        const string script = """
            import sys, time, pydicom
            from pydicom.pixel_data_handlers.util import apply_modality_lut
            rounds = int(sys.argv[1]); files = sys.argv[2:]
            def modality(ds, a):
                # pydicom 2.3 ignores an Enhanced CT's functional groups; take its shared rescale, as FacetMlNet does,
                # so that both sides compute HU and the checksums compare.
                if "RescaleSlope" not in ds and "SharedFunctionalGroupsSequence" in ds:
                    pvt = ds.SharedFunctionalGroupsSequence[0].get("PixelValueTransformationSequence")
                    if pvt: return a * float(pvt[0].RescaleSlope) + float(pvt[0].RescaleIntercept)
                return apply_modality_lut(a, ds)
            def run():
                s = 0.0
                for f in files:
                    ds = pydicom.dcmread(f)
                    a = modality(ds, ds.pixel_array)
                    f0 = (a[0] if getattr(ds, "NumberOfFrames", 1) > 1 else a).ravel()
                    s += float(f0[len(f0) // 2])
                return s
            run()
            times = []
            for _ in range(5):
                t = time.perf_counter(); total = sum(run() for _ in range(rounds)); times.append(time.perf_counter() - t)
            print(sorted(times)[2], total / rounds)
            """;
        if (!File.Exists("/usr/bin/python3")) return null;
        var (code, output, error) = ExternalTool.Run("/usr/bin/python3", ["-c", script, rounds.ToString(CultureInfo.InvariantCulture), .. files]);
        if (code != 0) { Console.Error.WriteLine($"pydicom failed: {error.Trim().Split('\n').LastOrDefault()}"); return null; }
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
