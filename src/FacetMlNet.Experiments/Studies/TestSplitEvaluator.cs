using FacetMlNet.Cohorts;
using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Experiments.Studies;

/// <summary>Scores graders on the test joints against the reference, with patient-level bootstrap intervals.</summary>
internal sealed class TestSplitEvaluator(IReadOnlyList<CohortJoint> test, IReadOnlyList<string> patients, int replicates, int seed)
{
    private readonly Dictionary<(GradingTarget, string), (int[] Predicted, float[][] Scores)> _outputs = [];

    public static float[][] OneHot(IEnumerable<int> grades, int classes) =>
        [.. grades.Select(g => { var v = new float[classes]; v[g] = 1; return v; })];

    private int[] Reference(GradingTarget target) => [.. test.Select(j => j.Reference.Of(target))];

    public GraderResult Evaluate(GradingTarget target, string grader, string method, float[][] scores, bool withIntervals)
    {
        var predicted = scores.Select(v => Array.IndexOf(v, v.Max())).ToArray();
        var reference = Reference(target);
        _outputs[(target, grader + "|" + method)] = (predicted, scores);
        var metrics = MulticlassMetrics.Compute(reference, predicted, scores, target.GradeCount);
        if (!withIntervals || replicates <= 0) return new GraderResult(target, grader, method, metrics);
        ClassificationMetrics On(IReadOnlyList<int> idx) =>
            MulticlassMetrics.Compute([.. idx.Select(i => reference[i])], [.. idx.Select(i => predicted[i])], [.. idx.Select(i => scores[i])], target.GradeCount);
        return new GraderResult(target, grader, method, metrics)
        {
            MacroAucInterval = PatientBootstrap.Interval(patients, idx => On(idx).MacroAuc, replicates, seed),
            MacroF1Interval = PatientBootstrap.Interval(patients, idx => On(idx).MacroF1, replicates, seed),
        };
    }

    /// <summary>Interval of macro-F1(model) − macro-F1(baseline) on the same bootstrap replicates.</summary>
    public BootstrapInterval? F1Gain(GradingTarget target, GraderResult model, GraderResult baseline)
    {
        if (replicates <= 0) return null;
        var reference = Reference(target);
        var m = _outputs[(target, model.Grader + "|" + model.Method)];
        var b = _outputs[(target, baseline.Grader + "|" + baseline.Method)];
        double F1(IReadOnlyList<int> idx, int[] predicted, float[][] scores) =>
            MulticlassMetrics.Compute([.. idx.Select(i => reference[i])], [.. idx.Select(i => predicted[i])], [.. idx.Select(i => scores[i])], target.GradeCount).MacroF1;
        return PatientBootstrap.Interval(patients, idx => F1(idx, m.Predicted, m.Scores) - F1(idx, b.Predicted, b.Scores), replicates, seed);
    }
}
