namespace FacetMlNet.Evaluation.Metrics;

/// <summary>Weights of Cohen's kappa for ordinal grades.</summary>
public enum KappaWeighting
{
    /// <summary>Unweighted: any disagreement counts fully.</summary>
    None,
    /// <summary>Disagreement weighted by |i − j|.</summary>
    Linear,
    /// <summary>Disagreement weighted by (i − j)².</summary>
    Quadratic,
}

/// <summary>Agreement between two graders of the same cases.</summary>
public static class Agreement
{
    /// <summary>Cohen's kappa, optionally weighted; as scikit-learn's <c>cohen_kappa_score</c>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, no cases, or a grade outside 0 … classes − 1.</exception>
    public static double CohenKappa(IReadOnlyList<int> a, IReadOnlyList<int> b, int classes, KappaWeighting weighting = KappaWeighting.None)
    {
        var observed = Table(a, b, classes);
        var n = (double)a.Count;
        var rowSums = new double[classes];
        var colSums = new double[classes];
        for (var i = 0; i < classes; i++)
            for (var j = 0; j < classes; j++)
            {
                rowSums[i] += observed[i, j];
                colSums[j] += observed[i, j];
            }
        double disagreeObserved = 0, disagreeExpected = 0;
        for (var i = 0; i < classes; i++)
            for (var j = 0; j < classes; j++)
            {
                double w = weighting switch
                {
                    KappaWeighting.None => i == j ? 0 : 1,
                    KappaWeighting.Linear => Math.Abs(i - j),
                    _ => (i - j) * (i - j),
                };
                disagreeObserved += w * observed[i, j] / n;
                disagreeExpected += w * rowSums[i] * colSums[j] / (n * n);
            }
        return disagreeExpected == 0 ? double.NaN : 1 - disagreeObserved / disagreeExpected;
    }

    /// <summary>Proportion of exact agreement.</summary>
    public static double ObservedAgreement(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"Need equal, non-empty gradings ({a.Count} and {b.Count}).");
        return (double)a.Zip(b).Count(p => p.First == p.Second) / a.Count;
    }

    /// <summary>
    /// Prevalence- and bias-adjusted kappa, (k·pₒ − 1)/(k − 1) for k categories (Byrt 1993): kappa's answer to skewed
    /// findings, where plain kappa is low despite high agreement.
    /// </summary>
    public static double Pabak(IReadOnlyList<int> a, IReadOnlyList<int> b, int classes) =>
        (classes * ObservedAgreement(a, b) - 1) / (classes - 1);

    /// <summary>
    /// Gwet's agreement coefficient for two raters: AC1 unweighted, AC2 with linear or quadratic weights (Gwet 2008,
    /// 2014). Unlike kappa it does not collapse when one grade dominates, as in skewed findings.
    /// </summary>
    public static double GwetAc(IReadOnlyList<int> a, IReadOnlyList<int> b, int classes, KappaWeighting weighting = KappaWeighting.Quadratic)
    {
        var table = Table(a, b, classes);
        var n = (double)a.Count;
        double Weight(int k, int l) => weighting switch
        {
            KappaWeighting.None => k == l ? 1 : 0,
            KappaWeighting.Linear => 1 - Math.Abs(k - l) / (double)(classes - 1),
            _ => 1 - (k - l) * (k - l) / (double)((classes - 1) * (classes - 1)),
        };
        double agreement = 0, weightTotal = 0;
        var pi = new double[classes];
        for (var k = 0; k < classes; k++)
            for (var l = 0; l < classes; l++)
            {
                agreement += Weight(k, l) * table[k, l] / n;
                weightTotal += Weight(k, l);
                pi[k] += table[k, l] / (2 * n);
                pi[l] += table[k, l] / (2 * n);
            }
        var chance = weightTotal / (classes * (classes - 1.0)) * pi.Sum(p => p * (1 - p));
        return chance >= 1 ? double.NaN : (agreement - chance) / (1 - chance);
    }

    private static int[,] Table(IReadOnlyList<int> a, IReadOnlyList<int> b, int classes)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"Need equal, non-empty gradings ({a.Count} and {b.Count}).");
        var t = new int[classes, classes];
        for (var i = 0; i < a.Count; i++)
        {
            if ((uint)a[i] >= classes || (uint)b[i] >= classes) throw new ArgumentException($"Grade outside 0–{classes - 1} at case {i}.");
            t[a[i], b[i]]++;
        }
        return t;
    }
}
