using System.Diagnostics;
using FacetMlNet.Models.Backbones;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Bench;

/// <summary>
/// Backbone images/s on this machine: FacetMlNet's ResNet18Backbone at batch 1 and larger batches, against ML.NET's
/// DnnFeaturizeImage pipeline over the same ONNX files, measured in the same run on the same crops. Also checks the
/// two give the same 512-d features.
/// </summary>
internal static class BackboneBenchmark
{
    private const int Side = ResNet18Backbone.InputSize;

    private sealed class PixelsRow
    {
        [VectorType(3, Side, Side)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }

    public static int Run(int images)
    {
        var crops = Enumerable.Range(0, images).Select(Crop).ToList();
        Console.WriteLine($"{images} crops of {Side}², {Environment.ProcessorCount} cores");

        var results = new List<(string Name, double ImagesPerSecond)>();
        float[][]? ours = null;
        foreach (var batch in new[] { 1, 8, 32 })
        {
            using var backbone = ResNet18Backbone.Load(new BackboneOptions { BatchSize = batch });
            backbone.Embed(crops.Take(Math.Min(batch, 4)).ToList()); // warm-up
            var watch = Stopwatch.StartNew();
            var e = backbone.Embed(crops);
            results.Add(($"FacetMlNet batch {batch}", images / watch.Elapsed.TotalSeconds));
            ours ??= e;
        }

        // ML.NET: grey replicated to RGB 0–255, the package's ResNet18 model selector (preprocessing + network).
        var ml = new MLContext(1);
        var rows = crops.Select(c => new PixelsRow { Pixels = [.. c.Select(v => v * 255f), .. c.Select(v => v * 255f), .. c.Select(v => v * 255f)] }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var modelDir = ResNet18Backbone.FindModelDirectory();
        var pipeline = ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn, modelDir), nameof(PixelsRow.Pixels));
        var model = pipeline.Fit(data);
        _ = ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(ml.Data.LoadFromEnumerable(rows.Take(2))), false).ToList(); // warm-up
        var w = Stopwatch.StartNew();
        var theirs = ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(data), false).Select(r => r.Features).ToList();
        results.Add(("ML.NET DnnFeaturizeImage", images / w.Elapsed.TotalSeconds));

        var peer = results[^1].ImagesPerSecond;
        foreach (var (name, ips) in results)
            Console.WriteLine($"{name,-28} {ips,7:F1} images/s   ×{ips / peer:F2} vs ML.NET");
        var maxDiff = ours!.Zip(theirs).Max(p => p.First.Zip(p.Second).Max(z => Math.Abs(z.First - z.Second)));
        Console.WriteLine($"largest |difference| between the two embeddings: {maxDiff:G3}");
        return maxDiff < 1e-2 ? 0 : 1;
    }

    private static float[] Crop(int seed)
    {
        var rng = new Random(seed);
        var crop = new float[Side * Side];
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                crop[y * Side + x] = (float)Math.Clamp(0.5 + 0.35 * Math.Sin((x + seed) / 7.0) * Math.Cos((y - seed) / 11.0) + 0.1 * rng.NextDouble(), 0, 1);
        return crop;
    }
}
