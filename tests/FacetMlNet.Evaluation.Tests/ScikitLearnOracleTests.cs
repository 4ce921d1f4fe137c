using System.Text.Json;
using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Evaluation.Tests;

/// <summary>
/// Every metric against scikit-learn (Debian's python3-sklearn, run here) on random and edge cases: a grade absent
/// from the reference, perfect and inverted scores, ties. Equal to 1e-9. .ci/run installs scikit-learn; where it is
/// missing the test says so and skips.
/// </summary>
public class ScikitLearnOracleTests
{
    private sealed record Case(string Name, int Classes, int[] Reference, int[] Predicted, double[][] Scores);

    private static IEnumerable<Case> Cases()
    {
        var rng = new Random(42);
        double[] Random(int k) { var v = Enumerable.Range(0, k).Select(_ => rng.NextDouble() + 1e-3).ToArray(); var s = v.Sum(); return [.. v.Select(x => x / s)]; }
        int ArgMax(double[] v) => Array.IndexOf(v, v.Max());
        for (var c = 0; c < 4; c++)
        {
            var k = c % 2 == 0 ? 4 : 2;
            var reference = Enumerable.Range(0, 80).Select(_ => rng.Next(k)).ToArray();
            // Scores lean towards the truth so the metrics are not all near chance.
            var scores = reference.Select(r => { var v = Random(k); v[r] += 0.4; var s = v.Sum(); return v.Select(x => x / s).ToArray(); }).ToArray();
            yield return new Case($"random-{c}", k, reference, [.. scores.Select(ArgMax)], scores);
        }
        var absent = Enumerable.Range(0, 60).Select(i => i % 3).ToArray(); // grade 3 never in the reference
        var absentScores = absent.Select(_ => Random(4)).ToArray();
        yield return new Case("grade-absent-from-reference", 4, absent, [.. absentScores.Select(ArgMax)], absentScores);
        var perfect = Enumerable.Range(0, 40).Select(i => i % 4).ToArray();
        yield return new Case("perfect", 4, perfect, perfect, [.. perfect.Select(g => Enumerable.Range(0, 4).Select(k => k == g ? 1.0 : 0.0).ToArray())]);
        yield return new Case("inverted", 4, perfect, [.. perfect.Select(g => 3 - g)], [.. perfect.Select(g => Enumerable.Range(0, 4).Select(k => k == 3 - g ? 1.0 : 0.0).ToArray())]);
        var tied = Enumerable.Range(0, 70).Select(_ => rng.Next(4)).ToArray();
        var tiedScores = tied.Select(_ => { var v = Random(4).Select(x => Math.Round(x * 4) / 4 + 0.01).ToArray(); var s = v.Sum(); return v.Select(x => x / s).ToArray(); }).ToArray();
        yield return new Case("ties", 4, tied, [.. tiedScores.Select(ArgMax)], tiedScores);
    }

    private const string Script = """
        import json, sys, numpy as np
        from sklearn import metrics as m
        out = []
        for c in json.load(open(sys.argv[1])):
            yt, yp, S = np.array(c["Reference"]), np.array(c["Predicted"]), np.array(c["Scores"])
            labels = sorted(set(yt) | set(yp))
            p, r, f, s = m.precision_recall_fscore_support(yt, yp, labels=labels, zero_division=0)
            mcm = m.multilabel_confusion_matrix(yt, yp, labels=labels)
            spec = [float(x[0, 0] / (x[0, 0] + x[0, 1])) if x[0, 0] + x[0, 1] else 0.0 for x in mcm]
            res = {"labels": [int(x) for x in labels], "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
                   "support": s.tolist(), "specificity": spec,
                   "accuracy": m.accuracy_score(yt, yp), "balanced": m.balanced_accuracy_score(yt, yp)}
            for avg in ("macro", "weighted"):
                ap, ar, af, _ = m.precision_recall_fscore_support(yt, yp, labels=labels, average=avg, zero_division=0)
                res[avg] = [ap, ar, af]
            for w in (None, "linear", "quadratic"):
                res["kappa_" + str(w)] = m.cohen_kappa_score(yt, yp, weights=w)
            aucs = [m.roc_auc_score(yt == k, S[:, k]) for k in range(S.shape[1]) if 0 < (yt == k).sum() < len(yt)]
            res["macro_auc"] = float(np.mean(aucs)) if aucs else None
            if c["Classes"] == 4:
                yb, sb = yt >= 2, S[:, 2:].sum(axis=1)
                res["cut_auc"] = m.roc_auc_score(yb, sb)
                fpr, tpr, _ = m.roc_curve(yb, sb, drop_intermediate=False)
                res["cut_fpr"], res["cut_tpr"] = fpr.tolist(), tpr.tolist()
            out.append(res)
        print(json.dumps(out))
        """;

    [SkippableFact]
    public void Metrics_equal_scikit_learn_to_1e_9()
    {
        Skip.IfNot(Python.Has("sklearn"),
            "Debian python3 with scikit-learn not installed (apt-get install python3-sklearn; .ci/run does)");
        var cases = Cases().ToList();
        var input = Path.Combine(Path.GetTempPath(), $"facetml-oracle-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(cases));
        try
        {
            var (code, output) = Python.Run("-c", Script, input);
            Assert.True(code == 0, output);
            using var doc = JsonDocument.Parse(output);
            var expected = doc.RootElement.EnumerateArray().ToList();
            for (var i = 0; i < cases.Count; i++) Compare(cases[i], expected[i]);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static void Compare(Case c, JsonElement e)
    {
        const double tol = 1e-9;
        var report = ClassificationReport.Create(c.Reference, c.Predicted, c.Classes);
        var labels = e.GetProperty("labels").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        Assert.Equal(labels, report.Grades.Select(g => g.Grade));
        double[] D(string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];
        void Near(double expected, double actual, string what) => Assert.True(Math.Abs(expected - actual) < tol, $"{c.Name} {what}: sklearn {expected}, ours {actual}");
        for (var g = 0; g < labels.Length; g++)
        {
            Near(D("precision")[g], report.Grades[g].Precision, $"precision[{labels[g]}]");
            Near(D("recall")[g], report.Grades[g].Recall, $"recall[{labels[g]}]");
            Near(D("f1")[g], report.Grades[g].F1, $"f1[{labels[g]}]");
            Near(D("specificity")[g], report.Grades[g].Specificity, $"specificity[{labels[g]}]");
            Near(D("support")[g], report.Grades[g].Support, $"support[{labels[g]}]");
        }
        Near(e.GetProperty("accuracy").GetDouble(), report.Accuracy, "accuracy");
        Near(e.GetProperty("balanced").GetDouble(), report.BalancedAccuracy, "balanced accuracy");
        Near(D("macro")[0], report.MacroPrecision, "macro precision");
        Near(D("macro")[1], report.MacroRecall, "macro recall");
        Near(D("macro")[2], report.MacroF1, "macro F1");
        Near(D("weighted")[0], report.WeightedPrecision, "weighted precision");
        Near(D("weighted")[1], report.WeightedRecall, "weighted recall");
        Near(D("weighted")[2], report.WeightedF1, "weighted F1");
        var scores = c.Scores.Select(s => s.Select(x => (float)x).ToArray()).ToArray();
        var metrics = MulticlassMetrics.Compute(c.Reference, c.Predicted, scores, c.Classes);
        Near(D("macro")[2], metrics.MacroF1, "MulticlassMetrics macro F1");
        foreach (var (w, name) in new[] { (KappaWeighting.None, "None"), (KappaWeighting.Linear, "linear"), (KappaWeighting.Quadratic, "quadratic") })
        {
            var expected = e.GetProperty("kappa_" + name).GetDouble();
            var actual = Agreement.CohenKappa(c.Reference, c.Predicted, c.Classes, w);
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual));
            else Near(expected, actual, $"kappa {name}");
        }
        // AUCs are computed from single-precision scores on both sides' inputs: compare to float precision.
        if (e.GetProperty("macro_auc").ValueKind == JsonValueKind.Number)
            Assert.True(Math.Abs(e.GetProperty("macro_auc").GetDouble() - metrics.MacroAuc) < 1e-6, $"{c.Name} macro AUC");
        if (e.TryGetProperty("cut_auc", out var cutAuc))
        {
            var positive = Roc.AtLeast(c.Reference);
            var score = c.Scores.Select(s => s[2] + s[3]).ToArray();
            Near(cutAuc.GetDouble(), MulticlassMetrics.RocAuc(positive, score), "grade ≥ 2 AUC");
            var curve = Roc.Curve(positive, score);
            var fpr = D("cut_fpr");
            var tpr = D("cut_tpr");
            Assert.Equal(fpr.Length, curve.Count);
            for (var i = 0; i < fpr.Length; i++)
            {
                Near(fpr[i], curve[i].FalsePositiveRate, $"fpr[{i}]");
                Near(tpr[i], curve[i].TruePositiveRate, $"tpr[{i}]");
            }
        }
    }
}
