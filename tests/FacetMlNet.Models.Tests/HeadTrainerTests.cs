using FacetMlNet.Domain;
using FacetMlNet.Models.Heads;
using Microsoft.ML;

namespace FacetMlNet.Models.Tests;

public class HeadTrainerTests
{
    /// <summary>Features whose first two dimensions carry the grade, the rest noise.</summary>
    internal static List<HeadExample> Examples(int count, int classes, int seed, int dims = 16)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var grade = i % classes;
            var f = new float[dims];
            for (var k = 0; k < dims; k++) f[k] = (float)(rng.NextDouble() - 0.5);
            f[0] += grade * 1.5f;
            f[1] -= grade * 0.8f;
            return new HeadExample(f, grade);
        })];
    }

    [Theory]
    [InlineData(HeadTrainerKind.LbfgsMaximumEntropy)]
    [InlineData(HeadTrainerKind.SdcaMaximumEntropy)]
    [InlineData(HeadTrainerKind.LightGbm)]
    [InlineData(HeadTrainerKind.FastForestOneVersusAll)]
    public void Every_trainer_learns_and_scores_one_probability_per_grade(HeadTrainerKind kind)
    {
        var target = GradingTarget.Findings[0];
        var head = new HeadTrainer(new MLContext(1), new HeadTrainerOptions { Trainer = kind, BoostingRounds = [50] })
            .Train(target, Examples(400, 4, 1), Examples(100, 4, 2));
        var test = Examples(200, 4, 3);
        var p = head.PredictProbabilities([.. test.Select(e => e.Features)]);
        Assert.All(p, v => Assert.Equal(4, v.Length));
        Assert.All(p, v => Assert.InRange(v.Sum(), 0.98, 1.02));
        var accuracy = head.Predict([.. test.Select(e => e.Features)]).Zip(test).Count(z => z.First == z.Second.Grade) / 200.0;
        Assert.True(accuracy > 0.6, $"{kind} accuracy {accuracy}");
    }

    [Fact]
    public void A_grade_missing_from_training_still_gets_its_score_slot()
    {
        var train = Examples(300, 3, 4); // grades 0–2 only
        var head = new HeadTrainer(new MLContext(1), new HeadTrainerOptions()).Train(GradingTarget.Overall, train, Examples(60, 3, 5));
        var p = head.PredictProbabilities([train[0].Features]);
        Assert.Equal(4, p[0].Length);
        Assert.True(p[0][3] < 0.05);
    }

    [Fact]
    public void A_saved_and_reloaded_head_gives_identical_predictions()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"facetml-head-{Guid.NewGuid():N}");
        try
        {
            var ml = new MLContext(1);
            var head = new HeadTrainer(ml, new HeadTrainerOptions()).Train(GradingTarget.Findings[4], Examples(200, 2, 6), Examples(50, 2, 7));
            var path = Path.Combine(dir, "cysts.zip");
            head.Save(path);
            var loaded = FindingHead.Load(new MLContext(2), path);
            Assert.Equal(head.Target, loaded.Target);
            Assert.Equal(head.Description, loaded.Description);
            var test = Examples(50, 2, 8).Select(e => e.Features).ToList();
            var a = head.PredictProbabilities(test);
            var b = loaded.PredictProbabilities(test);
            for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
            Assert.Throws<ArgumentException>(() => loaded.PredictProbabilities([new float[3]]));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_empty_training_split_is_a_clear_error() =>
        Assert.Contains("training split is empty", Assert.Throws<ArgumentException>(() =>
            new HeadTrainer(new MLContext(1), new HeadTrainerOptions()).Train(GradingTarget.Overall, [], [])).Message);
}
