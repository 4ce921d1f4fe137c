using FacetMlNet.Evaluation.Metrics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Evaluation.Tests;

/// <summary>Where ML.NET has an evaluator, FacetMlNet's own metrics must agree with it.</summary>
public class MlNetEvaluatorAgreementTests
{
    private sealed class MulticlassRow
    {
        [KeyType(4)] public uint Label { get; set; }
        [KeyType(4)] public uint PredictedLabel { get; set; }
        [VectorType(4)] public float[] Score { get; set; } = [];
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [Fact]
    public void Accuracy_and_balanced_accuracy_equal_mlnet_micro_and_macro_accuracy()
    {
        var rng = new Random(5);
        var reference = Enumerable.Range(0, 200).Select(_ => rng.Next(4)).ToArray();
        var scores = reference.Select(r => { var v = Enumerable.Range(0, 4).Select(_ => (float)rng.NextDouble()).ToArray(); v[r] += 0.5f; var s = v.Sum(); return v.Select(x => x / s).ToArray(); }).ToArray();
        var predicted = scores.Select(v => Array.IndexOf(v, v.Max())).ToArray();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(reference.Select((r, i) => new MulticlassRow { Label = (uint)r, PredictedLabel = (uint)predicted[i], Score = scores[i] }));
        var mlnet = ml.MulticlassClassification.Evaluate(data);
        var ours = ClassificationReport.Create(reference, predicted, 4);
        Assert.Equal(mlnet.MicroAccuracy, ours.Accuracy, 9);
        Assert.Equal(mlnet.MacroAccuracy, ours.BalancedAccuracy, 9);
        Assert.Equal(4, mlnet.PerClassLogLoss.Count);
        for (var k = 0; k < 4; k++)
            for (var j = 0; j < 4; j++)
                Assert.Equal(mlnet.ConfusionMatrix.Counts[k][j], ours.Confusion[k, j]);
    }

    [Fact]
    public void Binary_auc_equals_mlnet()
    {
        var rng = new Random(6);
        var positive = Enumerable.Range(0, 150).Select(_ => rng.NextDouble() < 0.35).ToArray();
        var score = positive.Select(p => (float)(rng.NextDouble() + (p ? 0.4 : 0))).ToArray();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(positive.Select((p, i) => new BinaryRow { Label = p, Score = score[i], Probability = Math.Clamp(score[i] / 1.5f, 0, 1), PredictedLabel = score[i] > 0.7f }));
        var mlnet = ml.BinaryClassification.Evaluate(data);
        Assert.Equal(mlnet.AreaUnderRocCurve, MulticlassMetrics.RocAuc(positive, [.. score.Select(s => (double)s)]), 9);
    }
}
