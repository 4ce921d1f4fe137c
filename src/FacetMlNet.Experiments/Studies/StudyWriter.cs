using System.Globalization;
using System.Text;
using System.Text.Json;
using FacetMlNet.Cohorts;
using FacetMlNet.Domain;

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
        StudyFacts facts, PatientSplit split, Pseudonymizer pseudonyms)
    {
        var temp = runDir.TrimEnd(Path.DirectorySeparatorChar) + $".partial-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllText(Path.Combine(temp, "leaderboard.csv"), Leaderboard(results));
            File.WriteAllText(Path.Combine(temp, "report.md"), Report(options, results, facts));
            File.WriteAllText(Path.Combine(temp, "run.json"), RunJson(options, facts));
            var sb = new StringBuilder("patient_pseudonym,part\n");
            foreach (var part in Enum.GetValues<SplitPart>())
                foreach (var id in split.PatientsIn(part).Select(pseudonyms.Pseudonymize).Order(StringComparer.Ordinal))
                    sb.Append(Inv, $"{id},{part}\n");
            File.WriteAllText(Path.Combine(temp, "split.csv"), sb.ToString());
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
        var sb = new StringBuilder("target,rank,grader,method,macro_f1,macro_auc,accuracy,test_joints\n");
        foreach (var group in Ranked(results).GroupBy(r => r.Target))
        {
            var rank = 0;
            foreach (var r in group)
                sb.Append(Inv, $"{r.Target.Name},{++rank},{r.Grader},{r.Method},{F(r.Metrics.MacroF1)},{F(r.Metrics.MacroAuc)},{F(r.Metrics.Accuracy)},{r.Metrics.Count}\n");
        }
        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("0.0000", Inv);

    private static string Report(StudyOptions options, IReadOnlyList<GraderResult> results, StudyFacts facts)
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
        sb.AppendLine();
        sb.AppendLine("## Primary outcomes (test split, against the reference)");
        sb.AppendLine();
        sb.AppendLine("Best model head per target next to each reader. F1 and AUC are macro averages over grades; a reader's AUC is");
        sb.AppendLine("that of its single operating point per grade (one-vs-rest), so it is not a full ROC curve.");
        sb.AppendLine();
        sb.AppendLine("| Target | Grader | Method | Macro-F1 | Macro-AUC | Accuracy | Joints |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var group in Ranked(results).GroupBy(r => r.Target))
        {
            var best = group.Where(r => r.Grader == "model").First();
            foreach (var r in group.Where(r => r.Grader != "model").Prepend(best))
                sb.AppendLine(Inv, $"| {r.Target.Name} | {r.Grader} | {r.Method} | {F(r.Metrics.MacroF1)} | {F(r.Metrics.MacroAuc)} | {F(r.Metrics.Accuracy)} | {r.Metrics.Count} |");
        }
        sb.AppendLine();
        sb.AppendLine("All trained heads are ranked in `leaderboard.csv`.");
        sb.AppendLine();
        sb.AppendLine("## Confusion matrices of the best model head (rows: reference grade, columns: predicted)");
        foreach (var group in Ranked(results).GroupBy(r => r.Target))
        {
            var best = group.First(r => r.Grader == "model");
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
        sb.AppendLine("## Run");
        sb.AppendLine(Inv, $"- Stage times (s): {string.Join(", ", facts.StageSeconds.Select(kv => $"{kv.Key} {kv.Value:0.0}"))}.");
        sb.AppendLine(Inv, $"- Peak working set: {facts.PeakWorkingSetBytes / (1024.0 * 1024):0} MiB.");
        sb.AppendLine("- Patient identifiers are not written here; `split.csv` holds salted pseudonyms.");
        return sb.ToString();
    }

    private static string RunJson(StudyOptions options, StudyFacts facts) => JsonSerializer.Serialize(new
    {
        name = options.Name,
        seed = options.Seed,
        cohort_patients = facts.Patients,
        excluded = facts.Excluded,
        split_patients = facts.SplitPatients.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        split_joints = facts.SplitJoints.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        crop = options.Crop.Fingerprint,
        execution_provider = facts.ExecutionProvider,
        trainers = options.Trainers.Select(t => t.ToString()),
        embeddings_computed = facts.CacheMisses,
        embeddings_cached = facts.CacheHits,
        stage_seconds = facts.StageSeconds,
        peak_working_set_mib = Math.Round(facts.PeakWorkingSetBytes / (1024.0 * 1024)),
    }, new JsonSerializerOptions { WriteIndented = true });
}
