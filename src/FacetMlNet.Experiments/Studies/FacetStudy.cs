using System.Diagnostics;
using FacetMlNet.Cohorts;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;
using FacetMlNet.Models.Backbones;
using FacetMlNet.Models.Heads;
using FacetMlNet.Synthetic;
using Microsoft.ML;

namespace FacetMlNet.Experiments.Studies;

/// <summary>One grader's result on one target of the test split.</summary>
/// <param name="Target">The graded target.</param>
/// <param name="Grader">"model", "reader A", "reader B", "majority baseline", or a model variant.</param>
/// <param name="Method">Trainer and settings for a model; "clinician" for a reader.</param>
/// <param name="Metrics">Against the reference standard.</param>
public sealed record GraderResult(GradingTarget Target, string Grader, string Method, ClassificationMetrics Metrics)
{
    /// <summary>For model heads: chosen for this target by validation macro-AUC (never by test data).</summary>
    public bool Selected { get; init; }

    /// <summary>The trainer of a model head; null for readers, the baseline and derived graders.</summary>
    public HeadTrainerKind? Trainer { get; init; }

    /// <summary>Validation macro-AUC of a model head; NaN otherwise.</summary>
    public double ValidationMacroAuc { get; init; } = double.NaN;

    /// <summary>95 % bootstrap interval (by patient) of the test macro-AUC, where computed.</summary>
    public BootstrapInterval? MacroAucInterval { get; init; }

    /// <summary>95 % bootstrap interval (by patient) of the test macro-F1, where computed.</summary>
    public BootstrapInterval? MacroF1Interval { get; init; }

    /// <summary>For the selected model: interval of its macro-F1 minus the majority baseline's.</summary>
    public BootstrapInterval? MacroF1GainOverBaseline { get; init; }
}

/// <summary>What a study produced.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="LeaderboardCsv">Path of <c>leaderboard.csv</c>.</param>
/// <param name="ReportMarkdown">Path of <c>report.md</c>.</param>
/// <param name="Results">Every grader × target result on the test split.</param>
/// <param name="Comparison">The primary-outcome table: selected model and readers, with paired tests.</param>
/// <param name="Facts">Cohort, split and timing facts.</param>
public sealed record StudyResult(string RunDirectory, string LeaderboardCsv, string ReportMarkdown, IReadOnlyList<GraderResult> Results,
    IReadOnlyList<ComparisonRow> Comparison, StudyFacts Facts);

/// <summary>Counts and timings of a study, for the report and run record.</summary>
public sealed record StudyFacts
{
    /// <summary>Cohort folder.</summary>
    public required string Cohort { get; init; }
    /// <summary>Eligible patients.</summary>
    public required int Patients { get; init; }
    /// <summary>Patients excluded by the protocol.</summary>
    public required int Excluded { get; init; }
    /// <summary>Patients per split part.</summary>
    public required IReadOnlyDictionary<SplitPart, int> SplitPatients { get; init; }
    /// <summary>Joints per split part.</summary>
    public required IReadOnlyDictionary<SplitPart, int> SplitJoints { get; init; }
    /// <summary>Embeddings read from the cache.</summary>
    public required int CacheHits { get; init; }
    /// <summary>Embeddings computed.</summary>
    public required int CacheMisses { get; init; }
    /// <summary>Backbone execution provider.</summary>
    public required string ExecutionProvider { get; init; }
    /// <summary>Seconds per stage.</summary>
    public required IReadOnlyDictionary<string, double> StageSeconds { get; init; }
    /// <summary>Peak working set of the process, bytes.</summary>
    public required long PeakWorkingSetBytes { get; init; }
}

/// <summary>
/// The walking skeleton of the study protocol: default cohort → patient split → joint crops → ResNet18 embeddings →
/// one ML.NET head per finding and the overall grade → test-split comparison of the model with readers A and B
/// against the reference → leaderboard and report. Nothing is chosen by test data.
/// </summary>
public static class FacetStudy
{
    /// <summary>Runs the study; <paramref name="log"/> receives one line per stage.</summary>
    public static StudyResult Run(StudyOptions options, Action<string>? log = null)
    {
        options.Validate();
        log ??= _ => { };
        var stages = new Dictionary<string, double>();
        var watch = Stopwatch.StartNew();
        void Stage(string name)
        {
            stages[name] = Math.Round(watch.Elapsed.TotalSeconds, 2);
            watch.Restart();
        }

        // 1. Cohort: the user's, or the default synthetic one (generated once, then reused).
        var cohortDir = options.CohortDirectory ?? Path.Combine(options.ArtifactsDirectory, "cohorts", $"synthetic-{options.Patients}p-seed{options.Seed}");
        if (options.CohortDirectory is null && !File.Exists(Path.Combine(cohortDir, "labels.csv")))
        {
            log($"Synthesising the default cohort: {options.Patients} patients → {cohortDir}");
            SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = options.Patients, Seed = options.Seed }, cohortDir);
        }
        var cohort = Cohort.Load(Path.Combine(cohortDir, "studies"), Path.Combine(cohortDir, "labels.csv"));
        log($"Cohort: {cohort.Patients.Count} patients, {cohort.Joints.Count()} joints ({cohort.Excluded.Count} patients excluded by the protocol)");
        Stage("cohort");

        // 2. Split by patient; the split is kept (pseudonymised) with the run so it can be repeated.
        var runDir = Path.GetFullPath(Path.Combine(options.RunsDirectory, options.Name));
        var pseudonyms = Pseudonymizer.FromSaltFile(Path.Combine(options.ArtifactsDirectory, "pseudonym-salt.txt"));
        var split = PatientSplit.Create(cohort.Patients, options.Seed, stratify: options.StratifySplit);
        var joints = Enum.GetValues<SplitPart>().ToDictionary(p => p, p => cohort.Joints.Where(j => split[j.PatientId] == p).ToList());
        log($"Split by patient: " + string.Join(", ", Enum.GetValues<SplitPart>().Select(p => $"{p} {split.PatientsIn(p).Count} patients / {joints[p].Count} joints")));

        // 3. Crops → embeddings (cached).
        using var backbone = ResNet18Backbone.Load(options.Backbone);
        var cache = new EmbeddingCache(Path.Combine(options.ArtifactsDirectory, "embeddings"));
        var embedder = new JointEmbedder(backbone, new JointCropper(options.Crop), cache);
        var all = cohort.Joints.ToList();
        log($"Embedding {all.Count} joints with ResNet18 ({backbone.ExecutionProvider}, {options.Crop.Fingerprint})");
        var features = embedder.Embed(cohort, all);
        log($"  {cache.Hits} from cache, {cache.Misses} computed");
        Stage("embed");

        // 4. Heads: one per target and trainer, L2 chosen on validation.
        var ml = new MLContext(seed: options.Seed);
        List<HeadExample> Examples(SplitPart part, GradingTarget t) => [.. joints[part].Select(j => new HeadExample(features[j.Key], j.Reference.Of(t)))];
        var heads = new List<FindingHead>();
        foreach (var trainer in options.Trainers)
        {
            var headTrainer = new HeadTrainer(ml, new HeadTrainerOptions { Trainer = trainer, Seed = options.Seed });
            foreach (var target in GradingTarget.All)
                heads.Add(headTrainer.Train(target, Examples(SplitPart.Train, target), Examples(SplitPart.Validation, target)));
        }
        log($"Trained {heads.Count} heads ({string.Join(", ", options.Trainers)})");
        Stage("train");

        // 5. Test split: every head, the readers, the majority baseline and the Weishaupt rule on predicted findings,
        //    against the reference; the model of each target is the head chosen on validation.
        var test = joints[SplitPart.Test];
        if (test.Count == 0) throw new InvalidOperationException("The test split is empty: the cohort is too small.");
        var testFeatures = test.Select(j => features[j.Key]).ToList();
        var patients = test.Select(j => j.PatientId).ToList();
        var evaluator = new TestSplitEvaluator(test, patients, options.BootstrapReplicates, options.Seed);
        var results = new List<GraderResult>();
        var selected = heads.GroupBy(h => h.Target).ToDictionary(g => g.Key, g => g.OrderByDescending(h => h.ValidationMacroAuc).First());
        var predictedFindings = new Dictionary<GradingTarget, int[]>();
        var selectedProbabilities = new Dictionary<GradingTarget, float[][]>();
        foreach (var head in heads)
        {
            var p = head.PredictProbabilities(testFeatures);
            var isSelected = ReferenceEquals(selected[head.Target], head);
            if (isSelected)
            {
                predictedFindings[head.Target] = [.. p.Select(v => Array.IndexOf(v, v.Max()))];
                selectedProbabilities[head.Target] = p;
            }
            results.Add(evaluator.Evaluate(head.Target, "model", head.Description, p, withIntervals: false) with
            {
                Selected = isSelected,
                Trainer = head.Trainer,
                ValidationMacroAuc = head.ValidationMacroAuc,
            });
        }
        foreach (var target in GradingTarget.All)
        {
            foreach (var (name, grades) in new (string, Func<CohortJoint, FacetGrades>)[] { ("reader A", j => j.ReaderA), ("reader B", j => j.ReaderB) })
                results.Add(evaluator.Evaluate(target, name, "clinician", TestSplitEvaluator.OneHot(test.Select(j => grades(j).Of(target)), target.GradeCount), withIntervals: false));
            var (_, baselineScores) = MajorityBaseline.Predict([.. joints[SplitPart.Train].Select(j => j.Reference.Of(target))], target.GradeCount, test.Count);
            var baseline = evaluator.Evaluate(target, "majority baseline", "most frequent training grade", baselineScores, withIntervals: false);
            results.Add(baseline);
            var model = results.Single(r => r.Target == target && r.Selected);
            results[results.IndexOf(model)] = model with { MacroF1GainOverBaseline = evaluator.F1Gain(target, model, baseline) };
        }
        // Multitask: the overall grade derived by the Weishaupt rule from the five selected finding heads.
        var fromFindings = Enumerable.Range(0, test.Count)
            .Select(i => new FacetGrades([.. GradingTarget.Findings.Select(t => predictedFindings[t][i])]).Overall);
        results.Add(evaluator.Evaluate(GradingTarget.Overall, "model (Weishaupt rule on findings)", "selected finding heads",
            TestSplitEvaluator.OneHot(fromFindings, 4), withIntervals: true));
        // The model's operating point on the binary cut is chosen on validation (Youden's J), never on test.
        var validationJoints = joints[SplitPart.Validation];
        var thresholds = ReaderComparison.ChooseThresholds(validationJoints,
            selected.ToDictionary(kv => kv.Key, kv => kv.Value.PredictProbabilities([.. validationJoints.Select(j => features[j.Key])])));
        var comparison = ReaderComparison.WithIntervals(ReaderComparison.Compare(test, selectedProbabilities, thresholds), patients, options.BootstrapReplicates, options.Seed);
        // The selected model's and the readers' intervals were bootstrapped once, with the comparison: reuse them.
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (!r.Selected && !r.Grader.StartsWith("reader", StringComparison.Ordinal)) continue;
            var row = comparison.Single(c => c.Target == r.Target.Name && c.Grader == (r.Selected ? "model" : r.Grader));
            results[i] = r with { MacroF1Interval = row.Intervals.GetValueOrDefault("f1"), MacroAucInterval = row.Intervals.GetValueOrDefault("auc") };
        }
        Stage("evaluate");

        var facts = new StudyFacts
        {
            Cohort = Path.GetFullPath(cohortDir),
            Patients = cohort.Patients.Count,
            Excluded = cohort.Excluded.Count,
            SplitPatients = Enum.GetValues<SplitPart>().ToDictionary(p => p, p => split.PatientsIn(p).Count),
            SplitJoints = joints.ToDictionary(kv => kv.Key, kv => kv.Value.Count),
            CacheHits = cache.Hits,
            CacheMisses = cache.Misses,
            ExecutionProvider = backbone.ExecutionProvider,
            StageSeconds = stages,
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
        };
        var written = StudyWriter.Write(runDir, options, results, comparison, test, facts, split, pseudonyms, [.. selected.Values], thresholds);
        log($"Leaderboard: {written.Leaderboard}");
        log($"Report:      {written.Report}");
        return new StudyResult(runDir, written.Leaderboard, written.Report, results, comparison, facts);
    }
}
