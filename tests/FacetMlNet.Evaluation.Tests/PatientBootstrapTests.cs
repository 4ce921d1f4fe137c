using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Evaluation.Tests;

public class PatientBootstrapTests
{
    [Fact]
    public void Interval_of_a_mean_brackets_it_and_is_reproducible()
    {
        var rng = new Random(3);
        var patients = Enumerable.Range(0, 300).Select(i => $"P{i / 6}").ToList();
        var values = Enumerable.Range(0, 300).Select(_ => rng.NextDouble()).ToArray();
        double Mean(IReadOnlyList<int> idx) => idx.Average(i => values[i]);
        var a = PatientBootstrap.Interval(patients, Mean, 500, seed: 9);
        var b = PatientBootstrap.Interval(patients, Mean, 500, seed: 9);
        Assert.Equal(a, b);
        Assert.True(a.Lower < a.Estimate && a.Estimate < a.Upper);
        // Standard error of a mean of 300 U(0,1) ≈ 0.0167 → a 95 % interval ≈ ±0.033 (wider by the patient clustering only a little here).
        Assert.InRange(a.Upper - a.Lower, 0.04, 0.12);
    }

    [Fact]
    public void Resampling_is_by_patient_so_clustered_joints_widen_the_interval()
    {
        // Every joint of a patient shares the patient's value: 50 patients × 6 joints carry the information of 50, not 300.
        var rng = new Random(4);
        var patientValue = Enumerable.Range(0, 50).Select(_ => rng.NextDouble()).ToArray();
        var patients = Enumerable.Range(0, 300).Select(i => $"P{i / 6}").ToList();
        var values = Enumerable.Range(0, 300).Select(i => patientValue[i / 6]).ToArray();
        var clustered = PatientBootstrap.Interval(patients, idx => idx.Average(i => values[i]), 1000);
        var independent = PatientBootstrap.Interval([.. Enumerable.Range(0, 300).Select(i => $"J{i}")], idx => idx.Average(i => values[i]), 1000);
        Assert.True(clustered.Upper - clustered.Lower > 1.8 * (independent.Upper - independent.Lower));
    }

    [Fact]
    public void Undefined_replicates_are_dropped_and_counted()
    {
        var patients = new[] { "A", "B" };
        var calls = 0;
        var r = PatientBootstrap.Interval(patients, idx => ++calls % 2 == 0 ? double.NaN : 1.0, 100);
        Assert.InRange(r.Replicates, 1, 99);
    }

    [Fact]
    public void Quantile_matches_numpy_linear()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1.075, PatientBootstrap.Quantile(sorted, 0.025), 12); // numpy.quantile([1,2,3,4], 0.025)
        Assert.Equal(2.5, PatientBootstrap.Quantile(sorted, 0.5), 12);
    }

    [Fact]
    public void Majority_baseline_predicts_the_most_frequent_training_grade()
    {
        var (predicted, scores) = MajorityBaseline.Predict([0, 0, 1, 2, 0], 4, 3);
        Assert.All(predicted, p => Assert.Equal(0, p));
        Assert.Equal(0.6f, scores[0][0], 5);
        Assert.Equal(0f, scores[2][3]);
        var m = MulticlassMetrics.Compute([0, 1, 2], predicted, scores, 4);
        Assert.Equal(0.5, m.MacroAuc, 12); // constant scores rank nothing
    }
}
