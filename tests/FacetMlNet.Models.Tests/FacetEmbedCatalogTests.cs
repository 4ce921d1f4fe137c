using FacetMlNet.Models.Backbones;
using Microsoft.ML;

namespace FacetMlNet.Models.Tests;

public class FacetEmbedCatalogTests(BackboneFixture fixture) : IClassFixture<BackboneFixture>
{
    private sealed class Example
    {
        [Microsoft.ML.Data.VectorType(224 * 224)]
        public float[] Image { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    [Fact]
    public void FacetEmbed_composes_in_a_pipeline_and_the_pipeline_saves_and_loads()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(1, 12).Select(i => new Example { Image = ResNet18BackboneTests.Pattern(i), Label = i % 2 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.FacetEmbed()
            .Append(ml.Transforms.NormalizeMeanVariance("Embedding"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Embedding"));
        var model = pipeline.Fit(data);

        // The transform's embedding is the backbone's.
        var embedded = ml.Data.CreateEnumerable<FacetEmbedOutput>(ml.Transforms.FacetEmbed().Fit(data).Transform(data), false).First();
        var direct = fixture.Backbone.Embed([rows[0].Image])[0];
        for (var k = 0; k < 512; k++) Assert.Equal(direct[k], embedded.Embedding[k], 3);

        var path = Path.Combine(Path.GetTempPath(), $"facetembed-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loadContext = new MLContext(2).RegisterFacetMlNet();
            var loaded = loadContext.Model.Load(path, out _);
            var a = ml.Data.CreateEnumerable<Scored>(model.Transform(data), false).Select(s => s.Score).ToArray();
            var b = loadContext.Data.CreateEnumerable<Scored>(loaded.Transform(data), false).Select(s => s.Score).ToArray();
            Assert.Equal(a, b);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
