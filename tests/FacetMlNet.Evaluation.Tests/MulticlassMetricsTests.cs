using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Evaluation.Tests;

public class MulticlassMetricsTests
{
    private static float[][] OneHot(int[] grades, int k) => [.. grades.Select(g => { var v = new float[k]; v[g] = 1; return v; })];

    [Fact]
    public void Hand_computed_example()
    {
        // reference 0 0 1 1 2 2, predicted 0 1 1 1 2 0:
        // class 0: tp 1, support 2, predicted 2 → F1 0.5; class 1: tp 2, support 2, predicted 3 → 0.8; class 2: tp 1, support 2, predicted 1 → 2/3.
        int[] reference = [0, 0, 1, 1, 2, 2];
        int[] predicted = [0, 1, 1, 1, 2, 0];
        var m = MulticlassMetrics.Compute(reference, predicted, OneHot(predicted, 3), 3);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, m.MacroF1, 12);
        Assert.Equal(1, m.Confusion[0, 1]);
        Assert.Equal(2, m.Confusion[1, 1]);
    }

    [Fact]
    public void Auc_with_ties_uses_mid_ranks()
    {
        // Positives 0.8, 0.5; negatives 0.5, 0.1: pairs (0.8>0.5, 0.8>0.1, 0.5=0.5 → ½, 0.5>0.1) = 3.5 / 4.
        Assert.Equal(0.875, MulticlassMetrics.RocAuc([true, true, false, false], [0.8, 0.5, 0.5, 0.1]), 12);
        Assert.Equal(1.0, MulticlassMetrics.RocAuc([true, false], [0.9, 0.1]), 12);
        Assert.Equal(0.0, MulticlassMetrics.RocAuc([true, false], [0.1, 0.9]), 12);
        Assert.Equal(0.5, MulticlassMetrics.RocAuc([true, false, true, false], [0.3, 0.3, 0.3, 0.3]), 12);
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.RocAuc([true, true], [0.1, 0.2]));
    }

    [Fact]
    public void A_grade_absent_from_reference_and_predictions_is_left_out_of_macro_f1_and_auc()
    {
        int[] reference = [0, 0, 1, 1];
        int[] predicted = [0, 0, 1, 1];
        var m = MulticlassMetrics.Compute(reference, predicted, OneHot(predicted, 4), 4);
        Assert.Equal(1.0, m.MacroF1, 12);
        Assert.Equal(1.0, m.MacroAuc, 12);
    }

    [Fact]
    public void Predicting_a_grade_the_reference_lacks_counts_as_f1_zero_as_scikit_learn_does()
    {
        int[] reference = [0, 0, 0, 0];
        int[] predicted = [0, 0, 0, 1];
        var m = MulticlassMetrics.Compute(reference, predicted, OneHot(predicted, 2), 2);
        // class 0: 2·3/(4+3) = 6/7; class 1: no support, predicted once → 0.
        Assert.Equal((6.0 / 7 + 0) / 2, m.MacroF1, 12);
        Assert.True(double.IsNaN(m.MacroAuc), "no grade has both positives and negatives");
    }

    [Fact]
    public void Empty_or_mismatched_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([], [], [], 2));
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([0], [0, 1], OneHot([0, 1], 2), 2));
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([5], [0], OneHot([0], 2), 2));
    }
}

public class AgreementTests
{
    [Fact]
    public void Kappa_of_perfect_and_chance_agreement()
    {
        int[] a = [0, 1, 2, 3, 0, 1, 2, 3];
        Assert.Equal(1.0, Agreement.CohenKappa(a, a, 4), 12);
        Assert.Equal(1.0, Agreement.CohenKappa(a, a, 4, KappaWeighting.Quadratic), 12);
    }

    [Fact]
    public void Kappa_matches_a_hand_computed_table()
    {
        // 2×2: a = [0,0,0,1,1,1,1,1,1,1], b = [0,0,1,1,1,1,1,1,1,0]: po = 0.8; pe = 0.3·0.3 + 0.7·0.7 = 0.58; κ = 0.22/0.42.
        int[] a = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
        int[] b = [0, 0, 1, 1, 1, 1, 1, 1, 1, 0];
        Assert.Equal(0.22 / 0.42, Agreement.CohenKappa(a, b, 2), 12);
        Assert.Equal(0.6, Agreement.Pabak(a, b, 2), 12);
    }

    [Fact]
    public void Weighted_kappa_punishes_far_disagreement_more()
    {
        int[] a = [0, 1, 2, 3, 0, 1, 2, 3];
        int[] near = [1, 1, 2, 3, 0, 1, 2, 2];
        int[] far = [3, 1, 2, 3, 0, 1, 2, 0];
        Assert.True(Agreement.CohenKappa(a, near, 4, KappaWeighting.Linear) > Agreement.CohenKappa(a, far, 4, KappaWeighting.Linear));
        Assert.Equal(Agreement.CohenKappa(a, near, 4), Agreement.CohenKappa(a, far, 4), 12);
    }
}

public class GwetAcTests
{
    [Fact]
    public void Ac1_by_hand_stays_high_where_kappa_collapses_on_a_skewed_finding()
    {
        // p00 = .1, p01 = .1, p10 = .1, p11 = .7: agreement .8; π = (.2, .8); chance = 1/(2·1)·2·(.2·.8 + .8·.2) = .32.
        int[] a = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        int[] b = [0, 1, 1, 1, 1, 1, 1, 1, 1, 0];
        Assert.Equal((0.8 - 0.32) / (1 - 0.32), Agreement.GwetAc(a, b, 2, KappaWeighting.None), 12);
        Assert.Equal(0.375, Agreement.CohenKappa(a, b, 2), 12);
    }

    [Fact]
    public void Ac2_is_one_for_perfect_agreement_and_weighted_lower_for_far_disagreement()
    {
        int[] a = [0, 1, 2, 3, 0, 1, 2, 3];
        Assert.Equal(1.0, Agreement.GwetAc(a, a, 4), 12);
        int[] near = [1, 1, 2, 3, 0, 1, 2, 2];
        int[] far = [3, 1, 2, 3, 0, 1, 2, 0];
        Assert.True(Agreement.GwetAc(a, near, 4) > Agreement.GwetAc(a, far, 4));
        // Quadratic weights by hand for one off-by-one pair among 2 cases: a = [0, 1], b = [1, 1], q = 4.
        // w(0,1) = 1 − 1/9; agreement = (8/9 + 1)/2; π = (.25, .75, 0, 0); Σw = 4 + 2·(3·8/9 + 2·5/9 + 1·0) = 4 + 68/9;
        // chance = Σw/(4·3) · (.25·.75 + .75·.25).
        var agreement = (8.0 / 9 + 1) / 2;
        var chance = (4 + 68.0 / 9) / 12 * (2 * 0.25 * 0.75);
        Assert.Equal((agreement - chance) / (1 - chance), Agreement.GwetAc([0, 1], [1, 1], 4), 12);
    }
}

public class YoudenThresholdTests
{
    [Fact]
    public void Youden_threshold_separates_perfectly_separable_scores_and_defaults_to_a_half()
    {
        bool[] y = [false, false, true, true];
        Assert.Equal(0.6, Roc.YoudenThreshold(y, [0.1, 0.3, 0.6, 0.9]), 12);
        Assert.Equal(0.5, Roc.YoudenThreshold([true, true], [0.2, 0.9]));
        var (sens, spec) = Roc.OperatingPoint(y, [0.1, 0.3, 0.6, 0.9], 0.6);
        Assert.Equal((1.0, 1.0), (sens, spec));
    }
}
