namespace FacetMlNet.Evaluation.Metrics;

/// <summary>Result of a two-sided test.</summary>
/// <param name="Statistic">The test statistic (z for DeLong; the smaller discordant count for exact McNemar).</param>
/// <param name="PValue">Two-sided p-value.</param>
public readonly record struct TestResult(double Statistic, double PValue);

/// <summary>DeLong's test for two correlated ROC AUCs on the same cases (DeLong, DeLong &amp; Clarke-Pearson 1988).</summary>
/// <param name="AucA">AUC of the first score.</param>
/// <param name="AucB">AUC of the second score.</param>
/// <param name="Variance">Variance of AUC A − AUC B.</param>
/// <param name="Z">(A − B) / √variance.</param>
/// <param name="PValue">Two-sided p-value.</param>
public sealed record DeLongResult(double AucA, double AucB, double Variance, double Z, double PValue);

/// <summary>Paired comparisons of a model with a reader on the same cases, and Holm's correction.</summary>
public static class PairedTests
{
    /// <summary>
    /// DeLong's test. A reader's ordinal grade can be a score: its AUC is then that of its ROC through all of its cut
    /// points. Ties count one half, as in the Mann–Whitney statistic.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or no positives or no negatives.</exception>
    public static DeLongResult DeLong(IReadOnlyList<bool> positive, IReadOnlyList<double> scoreA, IReadOnlyList<double> scoreB)
    {
        if (scoreA.Count != positive.Count || scoreB.Count != positive.Count) throw new ArgumentException("Scores and labels differ in length.");
        var pos = Enumerable.Range(0, positive.Count).Where(i => positive[i]).ToArray();
        var neg = Enumerable.Range(0, positive.Count).Where(i => !positive[i]).ToArray();
        if (pos.Length == 0 || neg.Length == 0) throw new ArgumentException("DeLong's test needs both positives and negatives.");
        static double Psi(double x, double y) => x > y ? 1 : x == y ? 0.5 : 0;
        // Structural components: V10 per positive, V01 per negative, for each score.
        double[,] v10 = new double[2, pos.Length], v01 = new double[2, neg.Length];
        var scores = new[] { scoreA, scoreB };
        for (var r = 0; r < 2; r++)
        {
            var s = scores[r];
            for (var i = 0; i < pos.Length; i++)
            {
                double sum = 0;
                foreach (var j in neg) sum += Psi(s[pos[i]], s[j]);
                v10[r, i] = sum / neg.Length;
            }
            for (var j = 0; j < neg.Length; j++)
            {
                double sum = 0;
                foreach (var i in pos) sum += Psi(s[i], s[neg[j]]);
                v01[r, j] = sum / pos.Length;
            }
        }
        double Mean(double[,] v, int r) { double t = 0; for (var i = 0; i < v.GetLength(1); i++) t += v[r, i]; return t / v.GetLength(1); }
        double Cov(double[,] v, int a, int b)
        {
            var n = v.GetLength(1);
            if (n < 2) return 0;
            double ma = Mean(v, a), mb = Mean(v, b), t = 0;
            for (var i = 0; i < n; i++) t += (v[a, i] - ma) * (v[b, i] - mb);
            return t / (n - 1);
        }
        var aucA = Mean(v10, 0);
        var aucB = Mean(v10, 1);
        double S(int a, int b) => Cov(v10, a, b) / pos.Length + Cov(v01, a, b) / neg.Length;
        var variance = S(0, 0) + S(1, 1) - 2 * S(0, 1);
        if (variance <= 0) return new DeLongResult(aucA, aucB, variance, 0, aucA == aucB ? 1 : 0);
        var z = (aucA - aucB) / Math.Sqrt(variance);
        return new DeLongResult(aucA, aucB, variance, z, Math.Min(1, Erfc(Math.Abs(z) / Math.Sqrt(2))));
    }

    /// <summary>
    /// Exact McNemar test of paired correctness: b = cases only A got right, c = cases only B got right; two-sided
    /// binomial p-value with p = ½ (as statsmodels' <c>mcnemar(exact=True)</c>).
    /// </summary>
    public static TestResult McNemar(IReadOnlyList<bool> correctA, IReadOnlyList<bool> correctB)
    {
        if (correctA.Count != correctB.Count) throw new ArgumentException("Paired outcomes differ in length.");
        int b = 0, c = 0;
        for (var i = 0; i < correctA.Count; i++)
        {
            if (correctA[i] && !correctB[i]) b++;
            else if (!correctA[i] && correctB[i]) c++;
        }
        var n = b + c;
        var k = Math.Min(b, c);
        if (n == 0) return new TestResult(0, 1);
        // P(X ≤ k) for X ~ Binomial(n, ½), in log space for large n.
        double cdf = 0;
        for (var i = 0; i <= k; i++) cdf += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return new TestResult(k, Math.Min(1, 2 * cdf));
    }

    /// <summary>Holm's step-down adjustment of p-values (family-wise error), in the input order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var order = Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[pValues.Count];
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1, (pValues.Count - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }

    /// <summary>Complementary error function (W. J. Cody's rational approximations, relative error below 1e-15).</summary>
    internal static double Erfc(double x)
    {
        if (x < 0) return 2 - Erfc(-x);
        if (x < 0.5) return 1 - Erf(x);
        double[] p, q;
        double numerator = 0, denominator = 0;
        if (x < 4)
        {
            p = [1.23033935479799725e+03, 2.05107837782607147e+03, 1.71204761263407058e+03, 8.81952221241769090e+02, 2.98635138197400131e+02, 6.61191906371416295e+01, 8.88314979438837594e+00, 5.64188496988670089e-01, 2.15311535474403846e-08];
            q = [1.23033935480374942e+03, 3.43936767414372164e+03, 4.36261909014324716e+03, 3.29079923573345963e+03, 1.62138957456669019e+03, 5.37181101862009858e+02, 1.17693950891312499e+02, 1.57449261107098347e+01, 1.0];
            for (var i = 8; i >= 0; i--) { numerator = numerator * x + p[i]; denominator = denominator * x + q[i]; }
            return Math.Exp(-x * x) * numerator / denominator;
        }
        p = [-6.58749161529837803e-04, -1.60837851487422766e-02, -1.25781726111229246e-01, -3.60344899949804439e-01, -3.05326634961232344e-01, -1.63153871373020978e-02];
        q = [2.33520497626869185e-03, 6.05183413124413191e-02, 5.27905102951428412e-01, 1.87295284992346725e+00, 2.56852019228982242e+00, 1.0];
        var z = 1 / (x * x);
        for (var i = 5; i >= 0; i--) { numerator = numerator * z + p[i]; denominator = denominator * z + q[i]; }
        return Math.Exp(-x * x) / x * (0.56418958354775628695 + z * numerator / denominator);
    }

    private static double Erf(double x)
    {
        double[] a = [3.16112374387056560e+00, 1.13864154151050156e+02, 3.77485237685302021e+02, 3.20937758913846947e+03, 1.85777706184603153e-01];
        double[] b = [2.36012909523441209e+01, 2.44024637934444173e+02, 1.28261652607737228e+03, 2.84423683343917062e+03];
        var z = x * x;
        var numerator = a[4] * z;
        var denominator = z;
        for (var i = 0; i < 3; i++) { numerator = (numerator + a[i]) * z; denominator = (denominator + b[i]) * z; }
        return x * (numerator + a[3]) / (denominator + b[3]);
    }
}
