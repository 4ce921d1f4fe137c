using FacetMlNet.Models.Backbones;

namespace FacetMlNet.Models.Tests;

public sealed class BackboneFixture : IDisposable
{
    public ResNet18Backbone Backbone { get; } = ResNet18Backbone.Load(new BackboneOptions { BatchSize = 4 });

    public void Dispose() => Backbone.Dispose();
}

public class ResNet18BackboneTests(BackboneFixture fixture) : IClassFixture<BackboneFixture>
{
    internal static float[] Pattern(int seed)
    {
        var rng = new Random(seed);
        var crop = new float[224 * 224];
        for (var y = 0; y < 224; y++)
            for (var x = 0; x < 224; x++)
                crop[y * 224 + x] = (float)(0.5 + 0.4 * Math.Sin((x + seed * 7) / (5.0 + seed)) * Math.Cos(y / 9.0) + 0.05 * rng.NextDouble());
        return crop;
    }

    [Fact]
    public void Embeddings_are_512_d_finite_and_differ_between_images()
    {
        var e = fixture.Backbone.Embed([Pattern(1), Pattern(2)]);
        Assert.All(e, v => Assert.Equal(512, v.Length));
        Assert.All(e, v => Assert.All(v, x => Assert.True(float.IsFinite(x))));
        Assert.True(e[0].Zip(e[1]).Sum(p => Math.Abs(p.First - p.Second)) > 1, "different images must give different embeddings");
        Assert.True(e[0].Max() > 0, "pooled ReLU features are non-negative and not all zero");
    }

    [Fact]
    public void A_batch_gives_the_same_embeddings_as_one_image_at_a_time()
    {
        var crops = Enumerable.Range(1, 6).Select(Pattern).ToList();
        var batched = fixture.Backbone.Embed(crops);
        for (var i = 0; i < crops.Count; i++)
        {
            var single = fixture.Backbone.Embed([crops[i]])[0];
            for (var k = 0; k < 512; k++) Assert.Equal(single[k], batched[i][k], 3);
        }
    }

    [Fact]
    public void A_crop_of_the_wrong_size_is_refused() =>
        Assert.Throws<ArgumentException>(() => fixture.Backbone.Embed([new float[100]]));

    [Fact]
    public void Cache_hit_means_no_onnx_call()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"facetml-cache-{Guid.NewGuid():N}");
        try
        {
            var cache = new EmbeddingCache(dir);
            var crops = new List<float[]> { Pattern(3), Pattern(4) };
            var first = cache.GetOrCompute(crops, fixture.Backbone, "crop:test");
            var calls = fixture.Backbone.NetworkCalls;
            var again = new EmbeddingCache(dir).GetOrCompute(crops, fixture.Backbone, "crop:test");
            Assert.Equal(calls, fixture.Backbone.NetworkCalls);
            Assert.Equal(first[1], again[1]);
            // Other crop settings are another key: computed again.
            new EmbeddingCache(dir).GetOrCompute(crops, fixture.Backbone, "crop:other");
            Assert.True(fixture.Backbone.NetworkCalls > calls);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Cuda_request_without_cuda_falls_back_to_cpu_and_says_so()
    {
        using var b = ResNet18Backbone.Load(new BackboneOptions { Device = ComputeDevice.Cuda });
        Assert.Contains(b.ExecutionProvider, new[] { "CPU", "CUDA" });
        Assert.Equal(512, b.Embed([Pattern(5)])[0].Length);
    }
}
