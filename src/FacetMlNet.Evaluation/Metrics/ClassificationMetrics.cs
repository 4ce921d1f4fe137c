namespace FacetMlNet.Evaluation.Metrics;

/// <summary>Multiclass metrics of one grader on one target.</summary>
/// <param name="Count">Joints evaluated.</param>
/// <param name="Accuracy">Fraction graded exactly as the reference.</param>
/// <param name="MacroF1">Unweighted mean of per-grade F1 over the grades present in the reference or the predictions (scikit-learn's labels).</param>
/// <param name="MacroAuc">Unweighted mean of one-vs-rest ROC AUC over the grades with both positives and negatives in the reference; NaN when none has.</param>
/// <param name="Confusion">Counts, [reference grade, predicted grade].</param>
public sealed record ClassificationMetrics(int Count, double Accuracy, double MacroF1, double MacroAuc, int[,] Confusion);

/// <summary>Computes <see cref="ClassificationMetrics"/>.</summary>
public static class MulticlassMetrics
{
    /// <summary>
    /// Metrics from reference grades, predicted grades and grade scores (probabilities for a model; a one-hot of the
    /// grade for a reader, whose ROC is then its single operating point).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, no examples, or a grade outside 0 … classes − 1.</exception>
    public static ClassificationMetrics Compute(IReadOnlyList<int> reference, IReadOnlyList<int> predicted, IReadOnlyList<float[]> scores, int classes)
    {
        if (reference.Count == 0) throw new ArgumentException("No examples to evaluate (empty split?).", nameof(reference));
        if (predicted.Count != reference.Count || scores.Count != reference.Count)
            throw new ArgumentException($"{reference.Count} reference grades, {predicted.Count} predictions, {scores.Count} score vectors.");
        var confusion = new int[classes, classes];
        for (var i = 0; i < reference.Count; i++)
        {
            if ((uint)reference[i] >= classes || (uint)predicted[i] >= classes)
                throw new ArgumentException($"Grade outside 0–{classes - 1} at example {i}.");
            confusion[reference[i], predicted[i]]++;
        }
        var correct = Enumerable.Range(0, classes).Sum(k => confusion[k, k]);

        var f1s = new List<double>();
        for (var k = 0; k < classes; k++)
        {
            var support = Enumerable.Range(0, classes).Sum(p => confusion[k, p]);
            var predictedK = Enumerable.Range(0, classes).Sum(r => confusion[r, k]);
            if (support == 0 && predictedK == 0) continue; // grade absent from both: not among scikit-learn's labels
            var tp = confusion[k, k];
            // zero_division = 0, scikit-learn's default: an undefined precision or recall counts as 0.
            f1s.Add(support + predictedK == 0 ? 0 : 2.0 * tp / (support + predictedK));
        }

        var aucs = new List<double>();
        for (var k = 0; k < classes; k++)
        {
            var positive = reference.Select(r => r == k).ToArray();
            if (positive.All(p => p) || !positive.Any(p => p)) continue;
            aucs.Add(RocAuc(positive, [.. scores.Select(s => (double)s[k])]));
        }
        return new ClassificationMetrics(reference.Count, (double)correct / reference.Count, f1s.Average(), aucs.Count == 0 ? double.NaN : aucs.Average(), confusion);
    }

    /// <summary>Area under the ROC curve by the Mann–Whitney statistic with mid-ranks for ties.</summary>
    /// <exception cref="ArgumentException">No positives or no negatives.</exception>
    public static double RocAuc(IReadOnlyList<bool> positive, IReadOnlyList<double> score)
    {
        var n = positive.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => score[i]).ToArray();
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) j++;
            var mid = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = mid;
            i = j + 1;
        }
        double nPos = positive.Count(p => p), nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) throw new ArgumentException("ROC AUC needs both positives and negatives.");
        var rankSum = Enumerable.Range(0, n).Where(i => positive[i]).Sum(i => ranks[i]);
        return (rankSum - nPos * (nPos + 1) / 2) / (nPos * nNeg);
    }
}
