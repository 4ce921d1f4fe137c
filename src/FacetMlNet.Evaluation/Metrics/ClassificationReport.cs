namespace FacetMlNet.Evaluation.Metrics;

/// <summary>Per-grade figures of a <see cref="ClassificationReport"/>.</summary>
/// <param name="Grade">The grade.</param>
/// <param name="Precision">TP / (TP + FP); 0 when the grade was never predicted.</param>
/// <param name="Recall">Sensitivity, TP / (TP + FN); 0 when the grade never occurs in the reference.</param>
/// <param name="Specificity">TN / (TN + FP); 0 when every case is of this grade.</param>
/// <param name="F1">2·TP / (2·TP + FP + FN); 0 when undefined.</param>
/// <param name="Support">Cases of this grade in the reference.</param>
public sealed record GradeReport(int Grade, double Precision, double Recall, double Specificity, double F1, int Support);

/// <summary>
/// scikit-learn's <c>classification_report</c> shape, plus specificity: per grade over the grades present in the
/// reference or the predictions (scikit-learn's <c>unique_labels</c>), undefined ratios counted as 0
/// (<c>zero_division=0</c>); accuracy; balanced accuracy (mean recall over the grades in the reference); macro and
/// support-weighted averages.
/// </summary>
public sealed record ClassificationReport(IReadOnlyList<GradeReport> Grades, double Accuracy, double BalancedAccuracy,
    double MacroPrecision, double MacroRecall, double MacroSpecificity, double MacroF1,
    double WeightedPrecision, double WeightedRecall, double WeightedF1, int[,] Confusion)
{
    /// <summary>The report of predicted against reference grades.</summary>
    /// <exception cref="ArgumentException">Lengths differ, no cases, or a grade outside 0 … classes − 1.</exception>
    public static ClassificationReport Create(IReadOnlyList<int> reference, IReadOnlyList<int> predicted, int classes)
    {
        if (reference.Count == 0) throw new ArgumentException("No cases to report on (empty split?).", nameof(reference));
        if (reference.Count != predicted.Count) throw new ArgumentException($"{reference.Count} reference grades, {predicted.Count} predictions.");
        var confusion = new int[classes, classes];
        for (var i = 0; i < reference.Count; i++)
        {
            if ((uint)reference[i] >= classes || (uint)predicted[i] >= classes) throw new ArgumentException($"Grade outside 0–{classes - 1} at case {i}.");
            confusion[reference[i], predicted[i]]++;
        }
        var n = reference.Count;
        var grades = new List<GradeReport>();
        for (var k = 0; k < classes; k++)
        {
            var tp = confusion[k, k];
            var support = Enumerable.Range(0, classes).Sum(p => confusion[k, p]);
            var predictedK = Enumerable.Range(0, classes).Sum(r => confusion[r, k]);
            if (support == 0 && predictedK == 0) continue;
            var fp = predictedK - tp;
            var fn = support - tp;
            var tn = n - tp - fp - fn;
            grades.Add(new GradeReport(k,
                Precision: predictedK == 0 ? 0 : (double)tp / predictedK,
                Recall: support == 0 ? 0 : (double)tp / support,
                Specificity: tn + fp == 0 ? 0 : (double)tn / (tn + fp),
                F1: 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn),
                Support: support));
        }
        var withSupport = grades.Where(g => g.Support > 0).ToList();
        double Weighted(Func<GradeReport, double> f) => (double)withSupport.Sum(g => f(g) * g.Support) / n;
        return new ClassificationReport(grades,
            Accuracy: (double)Enumerable.Range(0, classes).Sum(k => confusion[k, k]) / n,
            BalancedAccuracy: withSupport.Average(g => g.Recall),
            MacroPrecision: grades.Average(g => g.Precision),
            MacroRecall: grades.Average(g => g.Recall),
            MacroSpecificity: grades.Average(g => g.Specificity),
            MacroF1: grades.Average(g => g.F1),
            WeightedPrecision: Weighted(g => g.Precision),
            WeightedRecall: Weighted(g => g.Recall),
            WeightedF1: Weighted(g => g.F1),
            Confusion: confusion);
    }
}

/// <summary>One point of a ROC curve.</summary>
/// <param name="FalsePositiveRate">1 − specificity.</param>
/// <param name="TruePositiveRate">Sensitivity.</param>
/// <param name="Threshold">Scores at or above it are called positive (+∞ for the first point).</param>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>ROC curves and binary cuts of ordinal grades.</summary>
public static class Roc
{
    /// <summary>
    /// Every point of the ROC curve, one per distinct score from the highest down, after a first (0, 0) point:
    /// scikit-learn's <c>roc_curve(drop_intermediate=False)</c>.
    /// </summary>
    public static IReadOnlyList<RocPoint> Curve(IReadOnlyList<bool> positive, IReadOnlyList<double> score)
    {
        double pos = positive.Count(p => p), neg = positive.Count - pos;
        if (pos == 0 || neg == 0) throw new ArgumentException("A ROC curve needs both positives and negatives.");
        var order = Enumerable.Range(0, score.Count).OrderByDescending(i => score[i]).ToArray();
        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        double tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (positive[order[i]]) tp++;
            else fp++;
            if (i + 1 < order.Length && score[order[i + 1]] == score[order[i]]) continue;
            points.Add(new RocPoint(fp / neg, tp / pos, score[order[i]]));
        }
        return points;
    }

    /// <summary>The clinically used cut: grade ≥ <paramref name="cut"/> (2 by default) is positive.</summary>
    public static bool[] AtLeast(IEnumerable<int> grades, int cut = 2) => [.. grades.Select(g => g >= cut)];

    /// <summary>The probability of grade ≥ <paramref name="cut"/> from per-grade probabilities.</summary>
    public static double[] ProbabilityAtLeast(IEnumerable<float[]> probabilities, int cut = 2) =>
        [.. probabilities.Select(p => (double)p.Skip(cut).Sum())];

    /// <summary>
    /// The threshold that maximises Youden's J (sensitivity + specificity − 1), among the observed scores; for choosing
    /// a model's operating point on validation data. ½ when the data have a single class.
    /// </summary>
    public static double YoudenThreshold(IReadOnlyList<bool> positive, IReadOnlyList<double> score)
    {
        if (!positive.Any(p => p) || positive.All(p => p)) return 0.5;
        var best = 0.5;
        var bestJ = double.NegativeInfinity;
        foreach (var t in score.Distinct().Order())
        {
            var (sensitivity, specificity) = OperatingPoint(positive, score, t);
            if (sensitivity + specificity - 1 > bestJ + 1e-12)
            {
                bestJ = sensitivity + specificity - 1;
                best = t;
            }
        }
        return best;
    }

    /// <summary>Sensitivity and specificity when scores ≥ <paramref name="threshold"/> are called positive.</summary>
    public static (double Sensitivity, double Specificity) OperatingPoint(IReadOnlyList<bool> positive, IReadOnlyList<double> score, double threshold)
    {
        double tp = 0, tn = 0, pos = 0, neg = 0;
        for (var i = 0; i < positive.Count; i++)
        {
            var called = score[i] >= threshold;
            if (positive[i]) { pos++; if (called) tp++; }
            else { neg++; if (!called) tn++; }
        }
        return (pos == 0 ? double.NaN : tp / pos, neg == 0 ? double.NaN : tn / neg);
    }
}
