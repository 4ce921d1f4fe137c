using System.Globalization;
using System.Text;
using System.Text.Json;
using FacetMlNet.Cohorts;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Dicom.IO;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;
using FacetMlNet.Models.Backbones;
using FacetMlNet.Models.Heads;
using Microsoft.ML;

namespace FacetMlNet.Experiments.Studies;

/// <summary>Settings of <see cref="ExternalValidation"/>.</summary>
public sealed record ExternalValidationOptions
{
    /// <summary>A study run folder with <c>run.json</c>, <c>leaderboard.csv</c> and <c>models/</c>.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>The other centre's cohort folder (studies/ + labels.csv); all its eligible joints are evaluated.</summary>
    public required string CohortDirectory { get; init; }

    /// <summary>Where the results go: <c>runs/&lt;name&gt;</c>.</summary>
    public string Name { get; init; } = "external";

    /// <summary>Folder of runs.</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>Folder of the embedding cache and pseudonym salt.</summary>
    public string ArtifactsDirectory { get; init; } = "artifacts";

    /// <summary>Bootstrap replicates (by patient).</summary>
    public int BootstrapReplicates { get; init; } = 2000;

    /// <summary>Seed of the bootstrap.</summary>
    public int Seed { get; init; } = 7;
}

/// <summary>One target's internal (test split) and external results of the same model, and the drop.</summary>
/// <param name="Target">The target.</param>
/// <param name="Metric">"macro_f1" or "macro_auc".</param>
/// <param name="Internal">From the run's test split.</param>
/// <param name="External">On the external cohort.</param>
/// <param name="Drop">Internal − external, with a 95 % interval from the two independent bootstrap intervals (normal approximation).</param>
public sealed record ExternalComparison(string Target, string Metric, BootstrapInterval Internal, BootstrapInterval External, BootstrapInterval Drop);

/// <summary>
/// The protocol's external validation: a trained model (a study run's selected heads and crop settings) applied,
/// without retraining, to a cohort from another centre; results side by side with the internal test split.
/// </summary>
public static class ExternalValidation
{
    /// <summary>Runs the evaluation and writes <c>report.md</c>, <c>report.html</c> with its plots, <c>comparison.csv</c> and <c>metrics.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The run folder lacks run.json, leaderboard.csv or a model.</exception>
    public static (string Directory, IReadOnlyList<ExternalComparison> Comparison) Run(ExternalValidationOptions options, Action<string>? log = null)
    {
        log ??= _ => { };
        var runJson = Path.Combine(options.RunDirectory, "run.json");
        if (!File.Exists(runJson)) throw new FileNotFoundException($"{runJson} not found: --model must be a study run folder.", runJson);
        using var run = JsonDocument.Parse(File.ReadAllText(runJson));
        var c = run.RootElement.GetProperty("crop_settings");
        var crop = new JointCropOptions
        {
            SizeMm = c.GetProperty("size_mm").GetDouble(),
            OutputPixels = c.GetProperty("pixels").GetInt32(),
            Window = new VoiWindow(c.GetProperty("window_center").GetDouble(), c.GetProperty("window_width").GetDouble()),
            Slices = c.GetProperty("slices").GetInt32(),
            MirrorLeft = c.GetProperty("mirror_left").GetBoolean(),
        };
        var ml = new MLContext(options.Seed);
        var heads = GradingTarget.All.ToDictionary(t => t, t =>
        {
            var path = Path.Combine(options.RunDirectory, "models", t.Name + ".zip");
            return File.Exists(path) ? FindingHead.Load(ml, path) : throw new FileNotFoundException($"{path}: model of {t.Name} missing.", path);
        });

        var cohort = Cohort.Load(Path.Combine(options.CohortDirectory, "studies"), Path.Combine(options.CohortDirectory, "labels.csv"));
        var joints = cohort.Joints.ToList();
        if (joints.Count == 0) throw new InvalidOperationException($"{options.CohortDirectory}: no eligible joints to evaluate.");
        log($"External cohort: {cohort.Patients.Count} patients, {joints.Count} joints ({cohort.Excluded.Count} excluded)");
        using var backbone = ResNet18Backbone.Load();
        var cache = new EmbeddingCache(Path.Combine(options.ArtifactsDirectory, "embeddings"));
        var features = new JointEmbedder(backbone, new JointCropper(crop), cache).Embed(cohort, joints);
        var x = joints.Select(j => features[j.Key]).ToList();
        var probabilities = heads.ToDictionary(kv => kv.Key, kv => kv.Value.PredictProbabilities(x));

        var evaluator = new TestSplitEvaluator(joints, [.. joints.Select(j => j.PatientId)], options.BootstrapReplicates, options.Seed);
        var external = GradingTarget.All.ToDictionary(t => t, t => evaluator.Evaluate(t, "model", heads[t].Description, probabilities[t], withIntervals: true));
        var internalResults = ReadInternal(Path.Combine(options.RunDirectory, "leaderboard.csv"));
        var comparison = new List<ExternalComparison>();
        foreach (var target in GradingTarget.All)
        {
            if (!internalResults.TryGetValue(target.Name, out var i)) continue;
            var e = external[target];
            comparison.Add(Compare(target.Name, "macro_f1", i.F1, e.MacroF1Interval!));
            comparison.Add(Compare(target.Name, "macro_auc", i.Auc, e.MacroAucInterval!));
        }
        var thresholds = run.RootElement.TryGetProperty("cut_thresholds", out var t)
            ? GradingTarget.All.Where(g => t.TryGetProperty(g.Name, out _)).ToDictionary(g => g, g => t.GetProperty(g.Name).GetDouble())
            : [];
        var rows = ReaderComparison.WithIntervals(ReaderComparison.Compare(joints, probabilities, thresholds), [.. joints.Select(j => j.PatientId)], options.BootstrapReplicates, options.Seed);

        var outDir = Path.GetFullPath(Path.Combine(options.RunsDirectory, options.Name));
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"), ReaderComparison.Csv(rows));
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), ReaderComparison.Json(rows, joints));
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), Report(options, cohort, joints.Count, comparison, cache));
        HtmlReport.Write(outDir, $"FacetMlNet external validation {options.Name}",
            $"{cohort.Patients.Count} eligible patients ({cohort.Excluded.Count} excluded), {joints.Count} joints of another cohort, model not retrained. ", rows);
        log($"External validation: {Path.Combine(outDir, "report.md")}");
        return (outDir, comparison);
    }

    private static ExternalComparison Compare(string target, string metric, BootstrapInterval internalCi, BootstrapInterval externalCi)
    {
        // Independent samples: the drop's standard error combines the two, each read off its 95 % interval.
        static double Se(BootstrapInterval ci) => double.IsNaN(ci.Lower) ? double.NaN : (ci.Upper - ci.Lower) / (2 * 1.959964);
        var drop = internalCi.Estimate - externalCi.Estimate;
        var se = Math.Sqrt(Math.Pow(Se(internalCi), 2) + Math.Pow(Se(externalCi), 2));
        return new ExternalComparison(target, metric, internalCi, externalCi, new BootstrapInterval(drop, drop - 1.959964 * se, drop + 1.959964 * se, Math.Min(internalCi.Replicates, externalCi.Replicates)));
    }

    /// <summary>The selected model's internal macro-F1 and macro-AUC with their intervals, from leaderboard.csv.</summary>
    private static Dictionary<string, (BootstrapInterval F1, BootstrapInterval Auc)> ReadInternal(string leaderboard)
    {
        if (!File.Exists(leaderboard)) throw new FileNotFoundException($"{leaderboard} not found.", leaderboard);
        var lines = File.ReadAllLines(leaderboard);
        var col = lines[0].Split(',').Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        double D(string[] cells, string name) => double.TryParse(cells[col[name]], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c[col["selected_on_validation"]] == "yes")
            .ToDictionary(c => c[col["target"]], c => (
                new BootstrapInterval(D(c, "macro_f1"), D(c, "macro_f1_ci_low"), D(c, "macro_f1_ci_high"), 0),
                new BootstrapInterval(D(c, "macro_auc"), D(c, "macro_auc_ci_low"), D(c, "macro_auc_ci_high"), 0)));
    }

    private static string Report(ExternalValidationOptions options, Cohort cohort, int joints, IReadOnlyList<ExternalComparison> comparison, EmbeddingCache cache)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# External validation `{options.Name}`");
        sb.AppendLine();
        sb.AppendLine(inv, $"Model of run `{Path.GetFileName(Path.GetFullPath(options.RunDirectory).TrimEnd(Path.DirectorySeparatorChar))}` applied without retraining to {cohort.Patients.Count} patients / {joints} joints of another cohort ({cohort.Excluded.Count} excluded); embeddings: {cache.Misses} computed, {cache.Hits} from cache.");
        sb.AppendLine();
        sb.AppendLine("Internal: the run's test split. External: every eligible joint of the other cohort. 95 % intervals by patient bootstrap;");
        sb.AppendLine("the drop's interval combines the two (independent samples, normal approximation).");
        sb.AppendLine();
        sb.AppendLine("| Target | Metric | Internal (95 % CI) | External (95 % CI) | Drop (95 % CI) |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        foreach (var r in comparison)
            sb.AppendLine(inv, $"| {r.Target} | {r.Metric} | {r.Internal} | {r.External} | {r.Drop} |");
        sb.AppendLine();
        sb.AppendLine("The model-against-readers table for the external cohort is in `comparison.csv` and `metrics.json`.");
        return sb.ToString();
    }
}
