using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Bench;

/// <summary>
/// Decodes the corpus's uncompressed CT and MR files (read, stored values of every frame, rescale) with FacetMlNet and with
/// pydicom 2.3 (Debian's python3, apply_modality_lut) in the same run, and prints files/s, MB/s and the ratio.
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
        Console.WriteLine($"{files.Count} uncompressed CT/MR files, {bytes / 1e6:F2} MB, {rounds} rounds");

        // Warm up, then measure.
        DecodeAll(files);
        var watch = Stopwatch.StartNew();
        double checksum = 0;
        for (var r = 0; r < rounds; r++) checksum += DecodeAll(files);
        var ours = watch.Elapsed.TotalSeconds;

        var python = Pydicom(files, rounds);
        Report("FacetMlNet", files.Count * rounds, bytes * rounds, ours);
        if (python is null)
        {
            Console.WriteLine("pydicom: not measured (apt-get install python3-pydicom python3-numpy)");
            return 0;
        }
        Report("pydicom 2.3", files.Count * rounds, bytes * rounds, python.Value.Seconds);
        Console.WriteLine($"ratio FacetMlNet / pydicom: {python.Value.Seconds / ours:F2}x faster (goal ≥ 3x); checksums {checksum / rounds:F0} vs {python.Value.Checksum:F0}");
        return 0;
    }

    private static double DecodeAll(IEnumerable<string> files)
    {
        double sum = 0;
        foreach (var path in files)
        {
            // Every frame, as pydicom's pixel_array decodes every frame; the checksum takes frame 0's middle pixel.
            var file = DicomFile.Open(path);
            var (slope, intercept) = PixelFunctions.GetRescale(file.Dataset);
            var pixels = DicomPixelData.Create(file);
            for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
            {
                var values = pixels.GetFrameModality(frame, slope, intercept);
                if (frame == 0) sum += values[values.Length / 2];
            }
        }
        return sum;
    }

    private static void Report(string who, int files, long bytes, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{who,-12} {seconds,7:F3} s  {files / seconds,8:F0} files/s  {bytes / seconds / 1e6,7:F1} MB/s"));

    private static (double Seconds, double Checksum)? Pydicom(IReadOnlyList<string> files, int rounds)
    {
        const string script = """
            import sys, time, pydicom
            from pydicom.pixel_data_handlers.util import apply_modality_lut
            rounds = int(sys.argv[1]); files = sys.argv[2:]
            def run():
                s = 0.0
                for f in files:
                    ds = pydicom.dcmread(f)
                    a = apply_modality_lut(ds.pixel_array, ds)
                    f0 = (a[0] if getattr(ds, "NumberOfFrames", 1) > 1 else a).ravel()
                    s += float(f0[len(f0) // 2])
                return s
            run()
            t = time.perf_counter(); total = sum(run() for _ in range(rounds)); t = time.perf_counter() - t
            print(t, total / rounds)
            """;
        if (!File.Exists("/usr/bin/python3")) return null;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture));
        foreach (var f in files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.Error.WriteLine($"pydicom failed: {error.Trim().Split('\n').LastOrDefault()}"); return null; }
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
