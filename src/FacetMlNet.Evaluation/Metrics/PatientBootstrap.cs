namespace FacetMlNet.Evaluation.Metrics;

/// <summary>A point estimate with a percentile bootstrap interval.</summary>
/// <param name="Estimate">The statistic on the full sample.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Replicates">Replicates on which the statistic was defined (undefined ones, e.g. an AUC with one class, are dropped).</param>
public sealed record BootstrapInterval(double Estimate, double Lower, double Upper, int Replicates)
{
    /// <summary>True when the interval lies entirely above <paramref name="value"/>.</summary>
    public bool Excludes(double value) => Lower > value || Upper < value;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Estimate:0.000} [{Lower:0.000}, {Upper:0.000}]");
}

/// <summary>
/// Percentile bootstrap over patients, not joints: a patient's joints are correlated, so whole patients are drawn with
/// replacement and all their joints come along. Seeded, so a report is reproducible.
/// </summary>
public static class PatientBootstrap
{
    /// <summary>
    /// Interval of <paramref name="statistic"/>, which receives the indices (with repeats) of the joints in a replicate.
    /// </summary>
    /// <param name="patientOfJoint">The patient of each joint.</param>
    /// <param name="statistic">The statistic on a list of joint indices; NaN where undefined.</param>
    /// <param name="replicates">Number of replicates (2,000 by default).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="level">Coverage, 0.95 by default.</param>
    /// <exception cref="ArgumentException">No joints, or an invalid level or count.</exception>
    public static BootstrapInterval Interval(IReadOnlyList<string> patientOfJoint, Func<IReadOnlyList<int>, double> statistic,
        int replicates = 2000, int seed = 1, double level = 0.95)
    {
        if (patientOfJoint.Count == 0) throw new ArgumentException("No joints to bootstrap.", nameof(patientOfJoint));
        if (replicates < 10 || level is <= 0 or >= 1) throw new ArgumentException($"{replicates} replicates at level {level}.");
        var byPatient = patientOfJoint.Select((p, i) => (p, i)).GroupBy(x => x.p, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Select(x => x.i).ToArray()).ToArray();
        var all = Enumerable.Range(0, patientOfJoint.Count).ToArray();
        var estimate = statistic(all);
        var rng = new Random(seed);
        var values = new List<double>(replicates);
        var sample = new List<int>(patientOfJoint.Count * 2);
        for (var r = 0; r < replicates; r++)
        {
            sample.Clear();
            for (var k = 0; k < byPatient.Length; k++) sample.AddRange(byPatient[rng.Next(byPatient.Length)]);
            var v = statistic(sample);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return new BootstrapInterval(estimate, double.NaN, double.NaN, 0);
        values.Sort();
        var alpha = (1 - level) / 2;
        return new BootstrapInterval(estimate, Quantile(values, alpha), Quantile(values, 1 - alpha), values.Count);
    }

    /// <summary>
    /// Intervals of several statistics computed together on each replicate (one resampling, many metrics), in the
    /// order <paramref name="statistics"/> returns them; NaN values of a statistic are dropped for that statistic only.
    /// </summary>
    public static BootstrapInterval[] Intervals(IReadOnlyList<string> patientOfJoint, Func<IReadOnlyList<int>, double[]> statistics,
        int replicates = 2000, int seed = 1, double level = 0.95)
    {
        if (patientOfJoint.Count == 0) throw new ArgumentException("No joints to bootstrap.", nameof(patientOfJoint));
        if (replicates < 10 || level is <= 0 or >= 1) throw new ArgumentException($"{replicates} replicates at level {level}.");
        var byPatient = patientOfJoint.Select((p, i) => (p, i)).GroupBy(x => x.p, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Select(x => x.i).ToArray()).ToArray();
        var estimates = statistics(Enumerable.Range(0, patientOfJoint.Count).ToArray());
        var values = estimates.Select(_ => new List<double>(replicates)).ToArray();
        var rng = new Random(seed);
        var sample = new List<int>(patientOfJoint.Count * 2);
        for (var r = 0; r < replicates; r++)
        {
            sample.Clear();
            for (var k = 0; k < byPatient.Length; k++) sample.AddRange(byPatient[rng.Next(byPatient.Length)]);
            var v = statistics(sample);
            for (var s = 0; s < v.Length; s++)
                if (!double.IsNaN(v[s])) values[s].Add(v[s]);
        }
        var alpha = (1 - level) / 2;
        return [.. estimates.Select((e, s) =>
        {
            values[s].Sort();
            return values[s].Count == 0 ? new BootstrapInterval(e, double.NaN, double.NaN, 0)
                : new BootstrapInterval(e, Quantile(values[s], alpha), Quantile(values[s], 1 - alpha), values[s].Count);
        })];
    }

    /// <summary>Linear-interpolated quantile of sorted values (NumPy's default method).</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <summary>The majority-class baseline: always the training split's most frequent grade, with its training frequencies as scores.</summary>
public static class MajorityBaseline
{
    /// <summary>Predictions and scores for <paramref name="count"/> joints.</summary>
    /// <exception cref="ArgumentException">No training grades.</exception>
    public static (int[] Predicted, float[][] Scores) Predict(IReadOnlyList<int> trainGrades, int classes, int count)
    {
        if (trainGrades.Count == 0) throw new ArgumentException("The training split is empty.", nameof(trainGrades));
        var frequency = new float[classes];
        foreach (var g in trainGrades) frequency[g] += 1f / trainGrades.Count;
        var majority = Array.IndexOf(frequency, frequency.Max());
        return ([.. Enumerable.Repeat(majority, count)], [.. Enumerable.Range(0, count).Select(_ => (float[])frequency.Clone())]);
    }
}
