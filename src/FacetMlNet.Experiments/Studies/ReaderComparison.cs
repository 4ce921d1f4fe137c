using System.Globalization;
using System.Text;
using System.Text.Json;
using FacetMlNet.Cohorts;
using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Experiments.Studies;

/// <summary>One row of the primary-outcome table: one grader on one target of the test split.</summary>
public sealed record ComparisonRow
{
#pragma warning disable CS1591 // Column names are the documentation; see comparison.csv.
    public required string Target { get; init; }
    public required string Grader { get; init; }
    public required ClassificationReport Report { get; init; }
    public required double MacroAuc { get; init; }
    public required int Cut { get; init; }
    public required double CutAuc { get; init; }
    public required double CutSensitivity { get; init; }
    public required double CutSpecificity { get; init; }
    /// <summary>The model's threshold on P(grade ≥ cut) (chosen on validation); null for readers.</summary>
    public double? CutThreshold { get; init; }
    public required double KappaLinear { get; init; }
    public required double KappaQuadratic { get; init; }
    public required double GwetAc2 { get; init; }
    public required double Pabak { get; init; }
    public DeLongResult? DeLongVsModel { get; init; }
    public double? DeLongPHolm { get; init; }
    public double? McNemarPVsModel { get; init; }
    public double? McNemarPHolm { get; init; }
    /// <summary>The binary cut's truth and this grader's score per test joint (for curves and calibration).</summary>
    public required bool[] CutPositive { get; init; }
    public required double[] CutScores { get; init; }
    /// <summary>Reference, predicted grades and scores per test joint, kept for the bootstrap.</summary>
    public required int[] ReferenceGrades { get; init; }
    public required int[] PredictedGrades { get; init; }
    public required float[][] Scores { get; init; }
    /// <summary>95 % patient-bootstrap intervals of accuracy, precision, sensitivity, specificity, F1, AUC (macro) and the cut AUC.</summary>
    public IReadOnlyDictionary<string, BootstrapInterval> Intervals { get; init; } = new Dictionary<string, BootstrapInterval>();
#pragma warning restore CS1591
}

/// <summary>
/// The study's primary outcomes: accuracy, precision, sensitivity, specificity, F1 and AUC of the selected model and
/// each reader against the reference, per target; the clinically used binary cut (grade ≥ 2; cysts present) with the
/// model at threshold ½ and the readers at their operating point; DeLong's test of the cut AUCs (reader grade as an
/// ordinal score) and McNemar's test of exact-grade accuracy, model against each reader, Holm-adjusted across targets.
/// </summary>
internal static class ReaderComparison
{
    /// <summary>The names of the metrics that get intervals, in <see cref="ComparisonRow.Intervals"/>.</summary>
    public static readonly string[] IntervalMetrics = ["accuracy", "precision", "sensitivity", "specificity", "f1", "auc", "cut_auc"];

    /// <summary>Adds patient-bootstrap intervals of every primary metric to every row (one resampling per row).</summary>
    public static IReadOnlyList<ComparisonRow> WithIntervals(IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> patients, int replicates, int seed)
    {
        if (replicates <= 0) return rows;
        return [.. rows.Select(r =>
        {
            var classes = r.Scores[0].Length;
            double[] Statistics(IReadOnlyList<int> idx)
            {
                int[] reference = [.. idx.Select(i => r.ReferenceGrades[i])], predicted = [.. idx.Select(i => r.PredictedGrades[i])];
                var report = ClassificationReport.Create(reference, predicted, classes);
                var auc = MulticlassMetrics.Compute(reference, predicted, [.. idx.Select(i => r.Scores[i])], classes).MacroAuc;
                bool[] positive = [.. idx.Select(i => r.CutPositive[i])];
                var cutAuc = positive.Any(p => p) && positive.Any(p => !p) ? MulticlassMetrics.RocAuc(positive, [.. idx.Select(i => r.CutScores[i])]) : double.NaN;
                return [report.Accuracy, report.MacroPrecision, report.MacroRecall, report.MacroSpecificity, report.MacroF1, auc, cutAuc];
            }
            var intervals = PatientBootstrap.Intervals(patients, Statistics, replicates, seed);
            return r with { Intervals = IntervalMetrics.Select((m, k) => (m, k)).ToDictionary(x => x.m, x => intervals[x.k]) };
        })];
    }

    /// <summary>The cut of a target: grade ≥ 2, or present for a two-grade finding.</summary>
    public static int CutOf(GradingTarget target) => target.GradeCount == 2 ? 1 : 2;

    /// <summary>Per target, the model's threshold on P(grade ≥ cut) chosen on validation data by Youden's J.</summary>
    public static Dictionary<GradingTarget, double> ChooseThresholds(IReadOnlyList<CohortJoint> validation, IReadOnlyDictionary<GradingTarget, float[][]> probabilities) =>
        probabilities.ToDictionary(kv => kv.Key, kv => Roc.YoudenThreshold(
            Roc.AtLeast(validation.Select(j => j.Reference.Of(kv.Key)), CutOf(kv.Key)), Roc.ProbabilityAtLeast(kv.Value, CutOf(kv.Key))));

    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<CohortJoint> test, IReadOnlyDictionary<GradingTarget, float[][]> modelProbabilities,
        IReadOnlyDictionary<GradingTarget, double>? thresholds = null)
    {
        var rows = new List<ComparisonRow>();
        foreach (var target in GradingTarget.All)
        {
            var reference = test.Select(j => j.Reference.Of(target)).ToArray();
            var cut = CutOf(target);
            var positive = Roc.AtLeast(reference, cut);
            var probabilities = modelProbabilities[target];
            var modelGrades = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
            var modelCutScore = Roc.ProbabilityAtLeast(probabilities, cut);
            var bothClasses = positive.Any(p => p) && positive.Any(p => !p);
            var threshold = thresholds?.GetValueOrDefault(target, 0.5) ?? 0.5;
            rows.Add(Row(target, "model", reference, modelGrades, probabilities, cut, positive, modelCutScore, threshold, bothClasses) with { CutThreshold = threshold });
            foreach (var (name, grades) in new (string, Func<CohortJoint, FacetGrades>)[] { ("reader A", j => j.ReaderA), ("reader B", j => j.ReaderB) })
            {
                var readerGrades = test.Select(j => grades(j).Of(target)).ToArray();
                var oneHot = TestSplitEvaluator.OneHot(readerGrades, target.GradeCount);
                var readerScore = readerGrades.Select(g => (double)g).ToArray();
                var row = Row(target, name, reference, readerGrades, oneHot, cut, positive, readerScore, cut, bothClasses);
                rows.Add(row with
                {
                    DeLongVsModel = bothClasses ? PairedTests.DeLong(positive, modelCutScore, readerScore) : null,
                    McNemarPVsModel = PairedTests.McNemar([.. modelGrades.Select((g, i) => g == reference[i])], [.. readerGrades.Select((g, i) => g == reference[i])]).PValue,
                });
            }
        }
        // Holm across the targets, separately for each reader and each test.
        foreach (var reader in new[] { "reader A", "reader B" })
        {
            var idx = rows.Select((r, i) => (r, i)).Where(x => x.r.Grader == reader).Select(x => x.i).ToList();
            var delong = idx.Where(i => rows[i].DeLongVsModel is not null).ToList();
            var adjusted = PairedTests.Holm([.. delong.Select(i => rows[i].DeLongVsModel!.PValue)]);
            for (var k = 0; k < delong.Count; k++) rows[delong[k]] = rows[delong[k]] with { DeLongPHolm = adjusted[k] };
            var mcnemar = PairedTests.Holm([.. idx.Select(i => rows[i].McNemarPVsModel!.Value)]);
            for (var k = 0; k < idx.Count; k++) rows[idx[k]] = rows[idx[k]] with { McNemarPHolm = mcnemar[k] };
        }
        return rows;
    }

    private static ComparisonRow Row(GradingTarget target, string grader, int[] reference, int[] predicted, float[][] scores, int cut,
        bool[] positive, double[] cutScore, double threshold, bool bothClasses)
    {
        var (sensitivity, specificity) = Roc.OperatingPoint(positive, cutScore, threshold);
        return new ComparisonRow
        {
            Target = target.Name,
            Grader = grader,
            Report = ClassificationReport.Create(reference, predicted, target.GradeCount),
            MacroAuc = MulticlassMetrics.Compute(reference, predicted, scores, target.GradeCount).MacroAuc,
            Cut = cut,
            CutAuc = bothClasses ? MulticlassMetrics.RocAuc(positive, cutScore) : double.NaN,
            CutSensitivity = sensitivity,
            CutSpecificity = specificity,
            CutPositive = positive,
            CutScores = cutScore,
            ReferenceGrades = reference,
            PredictedGrades = predicted,
            Scores = scores,
            KappaLinear = Agreement.CohenKappa(reference, predicted, target.GradeCount, KappaWeighting.Linear),
            KappaQuadratic = Agreement.CohenKappa(reference, predicted, target.GradeCount, KappaWeighting.Quadratic),
            GwetAc2 = Agreement.GwetAc(reference, predicted, target.GradeCount, KappaWeighting.Quadratic),
            Pabak = Agreement.Pabak(reference, predicted, target.GradeCount),
        };
    }

    public static string Csv(IReadOnlyList<ComparisonRow> rows)
    {
        static string F(double? v) => v is null || double.IsNaN(v.Value) ? "" : v.Value.ToString("0.0000", CultureInfo.InvariantCulture);
        var sb = new StringBuilder("target,grader,accuracy,balanced_accuracy,precision_macro,sensitivity_macro,specificity_macro,f1_macro,f1_weighted,auc_macro," +
            "kappa_linear,kappa_quadratic,gwet_ac2,pabak,cut,cut_auc,cut_sensitivity,cut_specificity,delong_p_vs_model,delong_p_holm,mcnemar_p_vs_model,mcnemar_p_holm," +
            string.Join(',', IntervalMetrics.SelectMany(m => new[] { m + "_ci_low", m + "_ci_high" })) + "\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Target},{r.Grader},{F(r.Report.Accuracy)},{F(r.Report.BalancedAccuracy)},{F(r.Report.MacroPrecision)},{F(r.Report.MacroRecall)},{F(r.Report.MacroSpecificity)},{F(r.Report.MacroF1)},{F(r.Report.WeightedF1)},{F(r.MacroAuc)}," +
                $"{F(r.KappaLinear)},{F(r.KappaQuadratic)},{F(r.GwetAc2)},{F(r.Pabak)},>={r.Cut},{F(r.CutAuc)},{F(r.CutSensitivity)},{F(r.CutSpecificity)},{F(r.DeLongVsModel?.PValue)},{F(r.DeLongPHolm)},{F(r.McNemarPVsModel)},{F(r.McNemarPHolm)},")
              .Append(string.Join(',', IntervalMetrics.SelectMany(m => r.Intervals.TryGetValue(m, out var ci) ? new[] { F(ci.Lower), F(ci.Upper) } : ["", ""]))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Agreement of reader A with reader B per target: κ (unweighted, linear, quadratic), PABAK, exact agreement.</summary>
    public static IReadOnlyList<(string Target, double Kappa, double KappaLinear, double KappaQuadratic, double GwetAc2, double Pabak, double Observed)> InterReader(IReadOnlyList<CohortJoint> test) =>
        [.. GradingTarget.All.Select(t =>
        {
            int[] a = [.. test.Select(j => j.ReaderA.Of(t))], b = [.. test.Select(j => j.ReaderB.Of(t))];
            return (t.Name, Agreement.CohenKappa(a, b, t.GradeCount), Agreement.CohenKappa(a, b, t.GradeCount, KappaWeighting.Linear),
                Agreement.CohenKappa(a, b, t.GradeCount, KappaWeighting.Quadratic), Agreement.GwetAc(a, b, t.GradeCount), Agreement.Pabak(a, b, t.GradeCount),
                Agreement.ObservedAgreement(a, b));
        })];

    public static string Json(IReadOnlyList<ComparisonRow> rows, IReadOnlyList<CohortJoint> test) => JsonSerializer.Serialize(new
    {
        graders = Graders(rows),
        inter_reader = InterReader(test).Select(x => new { target = x.Target, kappa = Num(x.Kappa), kappa_linear = Num(x.KappaLinear), kappa_quadratic = Num(x.KappaQuadratic), gwet_ac2_quadratic = Num(x.GwetAc2), pabak = Num(x.Pabak), observed_agreement = Num(x.Observed) }),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static IEnumerable<object> Graders(IReadOnlyList<ComparisonRow> rows) => rows.Select(r => new
    {
        target = r.Target,
        grader = r.Grader,
        accuracy = Num(r.Report.Accuracy),
        balanced_accuracy = Num(r.Report.BalancedAccuracy),
        macro = new { precision = Num(r.Report.MacroPrecision), sensitivity = Num(r.Report.MacroRecall), specificity = Num(r.Report.MacroSpecificity), f1 = Num(r.Report.MacroF1), auc = Num(r.MacroAuc) },
        weighted = new { precision = Num(r.Report.WeightedPrecision), sensitivity = Num(r.Report.WeightedRecall), f1 = Num(r.Report.WeightedF1) },
        grades = r.Report.Grades.Select(g => new { grade = g.Grade, precision = Num(g.Precision), sensitivity = Num(g.Recall), specificity = Num(g.Specificity), f1 = Num(g.F1), support = g.Support }),
        confusion = Enumerable.Range(0, r.Report.Confusion.GetLength(0)).Select(i => Enumerable.Range(0, r.Report.Confusion.GetLength(1)).Select(j => r.Report.Confusion[i, j])),
        kappa = new { linear = Num(r.KappaLinear), quadratic = Num(r.KappaQuadratic) },
        gwet_ac2_quadratic = Num(r.GwetAc2),
        pabak = Num(r.Pabak),
        ci95 = r.Intervals.ToDictionary(kv => kv.Key, kv => new[] { Num(kv.Value.Lower), Num(kv.Value.Upper) }),
        cut = new { at_least = r.Cut, threshold = r.CutThreshold, auc = Num(r.CutAuc), sensitivity = Num(r.CutSensitivity), specificity = Num(r.CutSpecificity) },
        vs_model = r.DeLongVsModel is null && r.McNemarPVsModel is null ? null : new
        {
            delong = r.DeLongVsModel is { } d ? new { auc_model = Num(d.AucA), auc_reader = Num(d.AucB), z = Num(d.Z), p = Num(d.PValue), p_holm = Num(r.DeLongPHolm ?? double.NaN) } : null,
            mcnemar = new { p = Num(r.McNemarPVsModel ?? double.NaN), p_holm = Num(r.McNemarPHolm ?? double.NaN) },
        },
    });

    private static double? Num(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : Math.Round(v, 6);
}
