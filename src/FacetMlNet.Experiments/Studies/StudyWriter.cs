using System.Globalization;
using System.Text;
using System.Text.Json;
using FacetMlNet.Cohorts;
using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;
using FacetMlNet.Models.Heads;

namespace FacetMlNet.Experiments.Studies;

/// <summary>
/// Writes a study's run folder: <c>leaderboard.csv</c>, <c>report.md</c>, <c>run.json</c> and a pseudonymised
/// <c>split.csv</c>. The folder is assembled beside its final place and moved in at the end, so an interrupted run
/// leaves no half-written results; no patient identifier is written.
/// </summary>
internal static class StudyWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static (string Leaderboard, string Report) Write(string runDir, StudyOptions options, IReadOnlyList<GraderResult> results,
        IReadOnlyList<ComparisonRow> comparison, IReadOnlyList<CohortJoint> test, StudyFacts facts, PatientSplit split, Pseudonymizer pseudonyms,
        IReadOnlyList<FindingHead> selectedHeads, IReadOnlyDictionary<GradingTarget, double> thresholds)
    {
        var temp = runDir.TrimEnd(Path.DirectorySeparatorChar) + $".partial-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllText(Path.Combine(temp, "leaderboard.csv"), Leaderboard(results));
            File.WriteAllText(Path.Combine(temp, "report.md"), Report(options, results, comparison, test, facts));
            File.WriteAllText(Path.Combine(temp, "comparison.csv"), ReaderComparison.Csv(comparison));
            File.WriteAllText(Path.Combine(temp, "metrics.json"), ReaderComparison.Json(comparison, test));
            HtmlReport.Write(temp, options, comparison, facts);
            File.WriteAllText(Path.Combine(temp, "run.json"), RunJson(options, facts, thresholds));
            var sb = new StringBuilder("patient_pseudonym,part\n");
            foreach (var part in Enum.GetValues<SplitPart>())
                foreach (var id in split.PatientsIn(part).Select(pseudonyms.Pseudonymize).Order(StringComparer.Ordinal))
                    sb.Append(Inv, $"{id},{part}\n");
            File.WriteAllText(Path.Combine(temp, "split.csv"), sb.ToString());
            foreach (var head in selectedHeads) head.Save(Path.Combine(temp, "models", head.Target.Name + ".zip"));
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(runDir)!);
            Directory.Move(temp, runDir);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return (Path.Combine(runDir, "leaderboard.csv"), Path.Combine(runDir, "report.md"));
    }

    /// <summary>Ranked within each target by macro-F1, then macro-AUC (the protocol's primary indicators).</summary>
    internal static IEnumerable<GraderResult> Ranked(IEnumerable<GraderResult> results) =>
        results.GroupBy(r => r.Target).OrderBy(g => GradingTarget.All.ToList().IndexOf(g.Key))
            .SelectMany(g => g.OrderByDescending(r => r.Metrics.MacroF1).ThenByDescending(r => double.IsNaN(r.Metrics.MacroAuc) ? -1 : r.Metrics.MacroAuc));

    private static string Leaderboard(IReadOnlyList<GraderResult> results)
    {
        var sb = new StringBuilder("target,rank,grader,method,selected_on_validation,validation_macro_auc,macro_f1,macro_f1_ci_low,macro_f1_ci_high,macro_auc,macro_auc_ci_low,macro_auc_ci_high,accuracy,test_joints\n");
        foreach (var group in Ranked(results).GroupBy(r => r.Target))
        {
            var rank = 0;
            foreach (var r in group)
                sb.Append(Inv, $"{r.Target.Name},{++rank},{r.Grader},{r.Method},{(r.Selected ? "yes" : "")},{F(r.ValidationMacroAuc)},{F(r.Metrics.MacroF1)},{F(r.MacroF1Interval?.Lower)},{F(r.MacroF1Interval?.Upper)},{F(r.Metrics.MacroAuc)},{F(r.MacroAucInterval?.Lower)},{F(r.MacroAucInterval?.Upper)},{F(r.Metrics.Accuracy)},{r.Metrics.Count}\n");
        }
        return sb.ToString();
    }

    private static string F(double? v) => v is null || double.IsNaN(v.Value) ? "" : v.Value.ToString("0.0000", Inv);

    private static string WithCi(double value, BootstrapInterval? ci) =>
        double.IsNaN(value) ? "–" : ci is null || double.IsNaN(ci.Lower) ? value.ToString("0.000", Inv) : string.Create(Inv, $"{value:0.000} ({ci.Lower:0.000}–{ci.Upper:0.000})");

    private static string Report(StudyOptions options, IReadOnlyList<GraderResult> results, IReadOnlyList<ComparisonRow> comparison,
        IReadOnlyList<CohortJoint> test, StudyFacts facts)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"# FacetMlNet study `{options.Name}`");
        sb.AppendLine();
        sb.AppendLine("Model (ResNet18 ImageNet backbone, one ML.NET head per finding) against readers A and B, each compared with the");
        sb.AppendLine("senior reference standard on the **test split** (patients never seen in training or model choice).");
        sb.AppendLine();
        sb.AppendLine("## Cohort and split");
        sb.AppendLine(Inv, $"- Cohort: {facts.Patients} eligible patients, {facts.Excluded} excluded by the protocol's criteria.");
        sb.AppendLine(FormattableString.Invariant($"- Split by patient (seed {options.Seed}{(options.StratifySplit ? ", stratified by worst overall grade" : "")}): ") +
            string.Join(", ", Enum.GetValues<SplitPart>().Select(p => $"{p} {facts.SplitPatients[p]} patients / {facts.SplitJoints[p]} joints")) + ".");
        sb.AppendLine(Inv, $"- Crops: {options.Crop.SizeMm} mm → {options.Crop.OutputPixels} px, window W{options.Crop.Window.Width}/L{options.Crop.Window.Center}, {options.Crop.Slices} slice(s) per joint, left joints mirrored: {options.Crop.MirrorLeft}.");
        sb.AppendLine(Inv, $"- Backbone on {facts.ExecutionProvider}; embeddings: {facts.CacheMisses} computed, {facts.CacheHits} from cache.");
        sb.AppendLine(Inv, $"- Heads: {string.Join(", ", options.Trainers)}; per target the head with the best validation macro-AUC is the model.");
        sb.AppendLine();
        sb.AppendLine("## Primary outcomes (test split, against the reference)");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Macro-F1 and macro-AUC over grades with 95 % bootstrap intervals ({options.BootstrapReplicates} replicates, resampling patients).");
        sb.AppendLine("A reader's AUC is that of its single operating point per grade (one-vs-rest), not a full ROC curve.");
        sb.AppendLine();
        sb.AppendLine("| Target | Grader | Method | Macro-F1 (95 % CI) | Macro-AUC (95 % CI) | Accuracy | Joints |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var target in GradingTarget.All)
        {
            var rows = results.Where(r => r.Target == target && (r.Selected || !r.Grader.Equals("model", StringComparison.Ordinal)));
            foreach (var r in rows.OrderBy(r => r.Selected ? 0 : r.Grader.StartsWith("model", StringComparison.Ordinal) ? 1 : r.Grader.StartsWith("reader", StringComparison.Ordinal) ? 2 : 3))
                sb.AppendLine(Inv, $"| {r.Target.Name} | {r.Grader} | {r.Method} | {WithCi(r.Metrics.MacroF1, r.MacroF1Interval)} | {WithCi(r.Metrics.MacroAuc, r.MacroAucInterval)} | {r.Metrics.Accuracy:0.000} | {r.Metrics.Count} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Model against each reader (test split)");
        sb.AppendLine();
        sb.AppendLine("Macro averages over grades; the binary cut is grade ≥ 2 (cysts: present), the model at the threshold chosen on");
        sb.AppendLine("validation (Youden's J) and each reader at its own operating point. DeLong compares the cut AUCs (the reader's grade as an ordinal score); McNemar");
        sb.AppendLine("compares exact-grade accuracy; p-values Holm-adjusted across the six targets. Also in `comparison.csv` and `metrics.json`.");
        sb.AppendLine();
        sb.AppendLine("| Target | Grader | Accuracy | Precision | Sensitivity | Specificity | F1 | AUC | Cut AUC | Cut sens. | Cut spec. | DeLong p (Holm) | McNemar p (Holm) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        static string P(double v) => double.IsNaN(v) ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);
        string C(ComparisonRow r, string metric, double value) => WithCi(value, r.Intervals.GetValueOrDefault(metric));
        foreach (var r in comparison)
            sb.AppendLine(Inv, $"| {r.Target} | {r.Grader} | {C(r, "accuracy", r.Report.Accuracy)} | {C(r, "precision", r.Report.MacroPrecision)} | {C(r, "sensitivity", r.Report.MacroRecall)} | {C(r, "specificity", r.Report.MacroSpecificity)} | {C(r, "f1", r.Report.MacroF1)} | {C(r, "auc", r.MacroAuc)} | {C(r, "cut_auc", r.CutAuc)} | {P(r.CutSensitivity)} | {P(r.CutSpecificity)} | " +
                $"{(r.DeLongVsModel is { } d ? $"{P(d.PValue)} ({P(r.DeLongPHolm ?? double.NaN)})" : "")} | {(r.McNemarPVsModel is { } m ? $"{P(m)} ({P(r.McNemarPHolm ?? double.NaN)})" : "")} |");
        sb.AppendLine();
        sb.AppendLine("Agreement of each grader with the reference (Gwet's AC2 and PABAK hold up on skewed findings, where κ collapses):");
        sb.AppendLine();
        sb.AppendLine("| Target | Grader | κ linear | κ quadratic | Gwet AC2 (quadratic) | PABAK |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in comparison) sb.AppendLine(Inv, $"| {r.Target} | {r.Grader} | {P(r.KappaLinear)} | {P(r.KappaQuadratic)} | {P(r.GwetAc2)} | {P(r.Pabak)} |");
        sb.AppendLine();
        sb.AppendLine("## Inter-reader agreement (reader A vs reader B, test split)");
        sb.AppendLine();
        sb.AppendLine("| Target | κ | κ linear | κ quadratic | Gwet AC2 | PABAK | Exact agreement |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var x in ReaderComparison.InterReader(test))
            sb.AppendLine(Inv, $"| {x.Target} | {P(x.Kappa)} | {P(x.KappaLinear)} | {P(x.KappaQuadratic)} | {P(x.GwetAc2)} | {P(x.Pabak)} | {P(x.Observed)} |");
        sb.AppendLine();
        sb.AppendLine("## Against the majority-class baseline");
        sb.AppendLine();
        sb.AppendLine("The baseline always answers the most frequent training grade (macro-AUC 0.5 by construction).");
        sb.AppendLine();
        sb.AppendLine("| Target | Model macro-AUC (95 % CI) | CI above 0.5 | Macro-F1 gain over baseline (95 % CI) | CI above 0 |");
        sb.AppendLine("|---|---:|:---:|---:|:---:|");
        foreach (var r in results.Where(r => r.Selected).OrderBy(r => GradingTarget.All.ToList().IndexOf(r.Target)))
        {
            var gain = r.MacroF1GainOverBaseline;
            sb.AppendLine(Inv, $"| {r.Target.Name} | {WithCi(r.Metrics.MacroAuc, r.MacroAucInterval)} | {(r.MacroAucInterval is { } a && a.Lower > 0.5 ? "yes" : "no")} | {(gain is null ? "–" : gain.ToString())} | {(gain is { } g && g.Lower > 0 ? "yes" : "no")} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Test macro-AUC of each trainer (its validation-chosen settings)");
        sb.AppendLine();
        var trainers = results.Where(r => r.Trainer is not null).Select(r => r.Trainer!.Value).Distinct().ToList();
        sb.AppendLine("| Target | " + string.Join(" | ", trainers) + " |");
        sb.AppendLine("|---|" + string.Concat(trainers.Select(_ => "---:|")));
        foreach (var target in GradingTarget.All)
            sb.AppendLine($"| {target.Name} | " + string.Join(" | ", trainers.Select(t =>
                results.FirstOrDefault(r => r.Target == target && r.Trainer == t) is { } r
                    ? ((double.IsNaN(r.Metrics.MacroAuc) ? "–" : r.Metrics.MacroAuc.ToString("0.000", Inv)) + (r.Selected ? " *" : "")) : "–")) + " |");
        sb.AppendLine();
        sb.AppendLine("\\* selected on validation.");
        sb.AppendLine();
        var direct = results.Single(r => r.Target == GradingTarget.Overall && r.Selected);
        var rule = results.Single(r => r.Grader.StartsWith("model (Weishaupt", StringComparison.Ordinal));
        sb.AppendLine("## Multitask: overall grade from the finding heads");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"Direct overall head macro-F1 {WithCi(direct.Metrics.MacroF1, direct.MacroF1Interval)}; the Weishaupt rule applied to the five selected finding heads' grades {WithCi(rule.Metrics.MacroF1, rule.MacroF1Interval)}: ") +
            (rule.Metrics.MacroF1 > direct.Metrics.MacroF1 ? "the rule on the findings does better here." : "the direct head does as well or better here."));
        sb.AppendLine();
        sb.AppendLine("## Confusion matrices of the selected model (rows: reference grade, columns: predicted)");
        foreach (var best in results.Where(r => r.Selected).OrderBy(r => GradingTarget.All.ToList().IndexOf(r.Target)))
        {
            var k = best.Target.GradeCount;
            sb.AppendLine();
            sb.AppendLine(Inv, $"**{best.Target.Name}** ({best.Method})");
            sb.AppendLine();
            sb.AppendLine("| ref \\ pred | " + string.Join(" | ", Enumerable.Range(0, k)) + " |");
            sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", k)));
            for (var r = 0; r < k; r++)
                sb.AppendLine(FormattableString.Invariant($"| {r} | ") + string.Join(" | ", Enumerable.Range(0, k).Select(c => best.Metrics.Confusion[r, c])) + " |");
        }
        sb.AppendLine();
        sb.AppendLine("All heads are ranked in `leaderboard.csv`; the selected heads are saved in `models/`.");
        sb.AppendLine();
        sb.AppendLine("## Run");
        sb.AppendLine(Inv, $"- Stage times (s): {string.Join(", ", facts.StageSeconds.Select(kv => $"{kv.Key} {kv.Value:0.0}"))}.");
        sb.AppendLine(Inv, $"- Peak working set: {facts.PeakWorkingSetBytes / (1024.0 * 1024):0} MiB.");
        sb.AppendLine("- Patient identifiers are not written here; `split.csv` holds salted pseudonyms.");
        return sb.ToString();
    }

    private static string RunJson(StudyOptions options, StudyFacts facts, IReadOnlyDictionary<GradingTarget, double> thresholds) => JsonSerializer.Serialize(new
    {
        cut_thresholds = thresholds.ToDictionary(kv => kv.Key.Name, kv => Math.Round(kv.Value, 6)),
        name = options.Name,
        seed = options.Seed,
        cohort_patients = facts.Patients,
        excluded = facts.Excluded,
        split_patients = facts.SplitPatients.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        split_joints = facts.SplitJoints.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        crop = options.Crop.Fingerprint,
        crop_settings = new
        {
            size_mm = options.Crop.SizeMm,
            pixels = options.Crop.OutputPixels,
            window_center = options.Crop.Window.Center,
            window_width = options.Crop.Window.Width,
            slices = options.Crop.Slices,
            mirror_left = options.Crop.MirrorLeft,
        },
        execution_provider = facts.ExecutionProvider,
        trainers = options.Trainers.Select(t => t.ToString()),
        embeddings_computed = facts.CacheMisses,
        embeddings_cached = facts.CacheHits,
        stage_seconds = facts.StageSeconds,
        peak_working_set_mib = Math.Round(facts.PeakWorkingSetBytes / (1024.0 * 1024)),
    }, new JsonSerializerOptions { WriteIndented = true });
}
