using FacetMlNet.Domain;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Models.Heads;

/// <summary>ML.NET multiclass trainers a head can use.</summary>
public enum HeadTrainerKind
{
    /// <summary>Multinomial logistic regression by L-BFGS.</summary>
    LbfgsMaximumEntropy,
    /// <summary>Multinomial logistic regression by SDCA.</summary>
    SdcaMaximumEntropy,
    /// <summary>Gradient-boosted trees (LightGBM), softmax objective.</summary>
    LightGbm,
    /// <summary>One-versus-all random forests (FastForest), Platt-calibrated.</summary>
    FastForestOneVersusAll,
}

/// <summary>Settings of <see cref="HeadTrainer"/>.</summary>
public sealed record HeadTrainerOptions
{
    /// <summary>The ML.NET trainer.</summary>
    public HeadTrainerKind Trainer { get; init; } = HeadTrainerKind.LbfgsMaximumEntropy;

    /// <summary>L2 strengths tried by the linear trainers; the one with the best validation macro-AUC is kept.</summary>
    public IReadOnlyList<float> L2Grid { get; init; } = [0.01f, 0.1f, 1f, 10f];

    /// <summary>Boosting rounds tried by LightGBM; the best on validation is kept.</summary>
    public IReadOnlyList<int> BoostingRounds { get; init; } = [100];

    /// <summary>Trees per class tried by FastForest; the best on validation is kept.</summary>
    public IReadOnlyList<int> ForestTrees { get; init; } = [50];

    /// <summary>
    /// Weight each example by the square root of the inverse frequency of its grade, so rare severe grades (and cysts)
    /// count without letting a handful of examples dominate.
    /// </summary>
    public bool BalanceClasses { get; init; } = true;

    /// <summary>Seed of ML.NET.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>One example: an embedding and its reference grade.</summary>
/// <param name="Features">The embedding.</param>
/// <param name="Grade">The reference grade, 0-based.</param>
public readonly record struct HeadExample(float[] Features, int Grade);

/// <summary>
/// Trains one ML.NET multiclass head per grading target on shared embeddings: mean–variance normalisation, then
/// the chosen trainer. The L2 strength is chosen on the validation split only.
/// </summary>
public sealed class HeadTrainer(MLContext ml, HeadTrainerOptions options)
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public int Grade { get; set; }
        public float Weight { get; set; } = 1;
    }

    /// <summary>The settings.</summary>
    public HeadTrainerOptions Options { get; } = options;

    /// <summary>Trains the head of <paramref name="target"/>; <paramref name="validation"/> chooses the L2 strength.</summary>
    /// <exception cref="ArgumentException">An empty training split.</exception>
    public FindingHead Train(GradingTarget target, IReadOnlyList<HeadExample> train, IReadOnlyList<HeadExample> validation)
    {
        if (train.Count == 0) throw new ArgumentException($"{target}: the training split is empty.", nameof(train));
        // Every grade is a key in grade order, present in the training data or not, so score slot k is grade k.
        // The mapping runs on the training data only: the fitted head needs no label column to predict.
        var keys = ml.Data.LoadFromEnumerable(Enumerable.Range(0, target.GradeCount).Select(g => new GradeKey { Grade = g }));
        var raw = ToDataView(target, train, Options.BalanceClasses);
        var trainView = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Grade), keyData: keys).Fit(raw).Transform(raw);
        FindingHead? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var (description, estimator) in Candidates())
        {
            var model = estimator.Fit(trainView);
            var head = new FindingHead(ml, target, model, Options.Trainer, description, train[0].Features.Length);
            var score = validation.Count == 0 ? 0 : ValidationScore(head, validation);
            if (best is null || score > bestScore + 1e-12)
            {
                best = head;
                bestScore = score;
                head.ValidationMacroAuc = validation.Count == 0 ? double.NaN : score;
            }
            if (validation.Count == 0) break;
        }
        return best!;
    }

    private sealed class GradeKey
    {
        public int Grade { get; set; }
    }

    /// <summary>The settings tried for the chosen trainer, each a full pipeline from embedding to grade scores.</summary>
    private IEnumerable<(string Description, IEstimator<ITransformer> Estimator)> Candidates()
    {
        var normalize = ml.Transforms.NormalizeMeanVariance("Features");
        const string label = "Label", features = "Features", weight = "Weight";
        switch (Options.Trainer)
        {
            case HeadTrainerKind.LbfgsMaximumEntropy:
                foreach (var l2 in Options.L2Grid)
                    yield return ($"LbfgsMaximumEntropy(l2={l2})", normalize.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                        labelColumnName: label, featureColumnName: features, exampleWeightColumnName: weight, l2Regularization: l2, l1Regularization: 0)));
                break;
            case HeadTrainerKind.SdcaMaximumEntropy:
                foreach (var l2 in Options.L2Grid)
                    yield return ($"SdcaMaximumEntropy(l2={l2})", normalize.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                        labelColumnName: label, featureColumnName: features, exampleWeightColumnName: weight, l2Regularization: l2, maximumNumberOfIterations: 30)));
                break;
            case HeadTrainerKind.LightGbm:
                foreach (var rounds in Options.BoostingRounds)
                    yield return ($"LightGbm(rounds={rounds})", ml.MulticlassClassification.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmMulticlassTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, ExampleWeightColumnName = weight,
                        NumberOfIterations = rounds, NumberOfLeaves = 15, MinimumExampleCountPerLeaf = 10, LearningRate = 0.1,
                        // Half the embedding's 512 dimensions per tree: faster on 2 cores, and a regulariser.
                        Booster = new Microsoft.ML.Trainers.LightGbm.GradientBooster.Options { FeatureFraction = 0.5 },
                        Seed = Options.Seed, NumberOfThreads = Environment.ProcessorCount, Verbose = false, Silent = true,
                    }));
                break;
            case HeadTrainerKind.FastForestOneVersusAll:
                foreach (var trees in Options.ForestTrees)
                    yield return ($"FastForestOva(trees={trees})", ml.MulticlassClassification.Trainers.OneVersusAll(
                        ml.BinaryClassification.Trainers.FastForest(new Microsoft.ML.Trainers.FastTree.FastForestBinaryTrainer.Options
                        {
                            LabelColumnName = label, FeatureColumnName = features, ExampleWeightColumnName = weight,
                            NumberOfTrees = trees, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10,
                            FeatureFraction = 0.3, NumberOfThreads = Environment.ProcessorCount,
                        }), labelColumnName: label));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Options.Trainer));
        }
    }

    /// <summary>Macro one-vs-rest AUC on validation, by the rank statistic (no test data involved).</summary>
    private static double ValidationScore(FindingHead head, IReadOnlyList<HeadExample> validation)
    {
        var probabilities = head.PredictProbabilities([.. validation.Select(v => v.Features)]);
        var aucs = new List<double>();
        for (var k = 0; k < head.Target.GradeCount; k++)
        {
            var pos = validation.Select((v, i) => (v, i)).Where(x => x.v.Grade == k).Select(x => probabilities[x.i][k]).ToArray();
            var neg = validation.Select((v, i) => (v, i)).Where(x => x.v.Grade != k).Select(x => probabilities[x.i][k]).ToArray();
            if (pos.Length == 0 || neg.Length == 0) continue;
            double wins = 0;
            foreach (var p in pos) foreach (var n in neg) wins += p > n ? 1 : p == n ? 0.5 : 0;
            aucs.Add(wins / ((double)pos.Length * neg.Length));
        }
        return aucs.Count == 0 ? 0 : aucs.Average();
    }

    private IDataView ToDataView(GradingTarget target, IReadOnlyList<HeadExample> examples, bool balance)
    {
        var counts = new int[target.GradeCount];
        foreach (var e in examples) counts[e.Grade]++;
        var present = counts.Count(c => c > 0);
        var rows = examples.Select(e => new Row
        {
            Features = e.Features,
            Grade = e.Grade,
            Weight = balance ? MathF.Sqrt((float)examples.Count / (present * counts[e.Grade])) : 1f,
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, examples[0].Features.Length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
