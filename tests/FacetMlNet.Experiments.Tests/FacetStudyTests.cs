using FacetMlNet.Domain;
using FacetMlNet.Experiments.Studies;
using FacetMlNet.Models.Heads;

namespace FacetMlNet.Experiments.Tests;

/// <summary>The small end-to-end study, run once for every test class of the collection.</summary>
[CollectionDefinition("study")]
public sealed class StudyCollection : ICollectionFixture<StudyFixture>;

/// <summary>Runs the small end-to-end study once (real generator, real backbone, real heads).</summary>
public sealed class StudyFixture : IDisposable
{
    public StudyFixture()
    {
        Options = new StudyOptions
        {
            Name = "e2e",
            Patients = 40,
            Seed = 3,
            RunsDirectory = Path.Combine(Root, "runs"),
            ArtifactsDirectory = Path.Combine(Root, "artifacts"),
            Trainers = [HeadTrainerKind.LbfgsMaximumEntropy, HeadTrainerKind.SdcaMaximumEntropy],
            BootstrapReplicates = 200,
        };
        First = FacetStudy.Run(Options);
        Second = FacetStudy.Run(Options with { Name = "e2e-again" });
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"facetml-study-{Guid.NewGuid():N}");

    public StudyOptions Options { get; }

    public StudyResult First { get; }

    public StudyResult Second { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

[Collection("study")]
public class FacetStudyTests(StudyFixture fixture)
{
    [Fact]
    public void Leaderboard_ranks_every_head_both_readers_and_the_baseline_for_every_target()
    {
        var lines = File.ReadAllLines(fixture.First.LeaderboardCsv);
        Assert.StartsWith("target,rank,grader,method,selected_on_validation,validation_macro_auc,macro_f1,", lines[0]);
        foreach (var target in GradingTarget.All)
        {
            var rows = lines.Skip(1).Where(l => l.StartsWith(target.Name + ",", StringComparison.Ordinal)).ToList();
            Assert.Equal(target == GradingTarget.Overall ? 6 : 5, rows.Count); // 2 heads, 2 readers, baseline (+ rule)
            Assert.Single(rows, r => r.Contains(",yes,", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains(",reader A,", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains(",reader B,", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains(",majority baseline,", StringComparison.Ordinal));
        }
        Assert.All(fixture.First.Results, r =>
        {
            Assert.InRange(r.Metrics.Accuracy, 0, 1);
            Assert.InRange(r.Metrics.MacroF1, 0, 1);
        });
    }

    [Fact]
    public void The_model_of_each_target_is_chosen_on_validation_and_saved()
    {
        foreach (var target in GradingTarget.All)
        {
            var heads = fixture.First.Results.Where(r => r.Target == target && r.Grader == "model").ToList();
            var selected = Assert.Single(heads, h => h.Selected);
            Assert.Equal(heads.Max(h => h.ValidationMacroAuc), selected.ValidationMacroAuc);
            Assert.NotNull(selected.MacroF1Interval);
            Assert.NotNull(selected.MacroF1GainOverBaseline);
            var path = Path.Combine(fixture.First.RunDirectory, "models", target.Name + ".zip");
            var loaded = FindingHead.Load(new Microsoft.ML.MLContext(1), path);
            Assert.Equal(selected.Method, loaded.Description);
        }
    }

    [Fact]
    public void The_model_learns_from_the_images()
    {
        // Real backbone and heads: the mean test macro-AUC over the targets is well above chance (0.5).
        var aucs = fixture.First.Results.Where(r => r.Selected && !double.IsNaN(r.Metrics.MacroAuc)).Select(r => r.Metrics.MacroAuc).ToList();
        Assert.NotEmpty(aucs);
        Assert.True(aucs.Average() > 0.6, $"mean model macro-AUC {aucs.Average():F3}");
        Assert.Equal(0, fixture.First.Facts.CacheHits);
        Assert.Equal(fixture.First.Facts.SplitJoints.Values.Sum(), fixture.First.Facts.CacheMisses);
    }

    [Fact]
    public void A_rerun_takes_every_embedding_from_the_cache_and_gives_the_same_results()
    {
        Assert.Equal(0, fixture.Second.Facts.CacheMisses);
        Assert.Equal(fixture.First.Results.Select(r => (r.Target.Name, r.Grader, r.Metrics.MacroF1, r.Metrics.Accuracy)),
            fixture.Second.Results.Select(r => (r.Target.Name, r.Grader, r.Metrics.MacroF1, r.Metrics.Accuracy)));
    }

    [Fact]
    public void No_patient_identifier_is_written_into_the_run()
    {
        foreach (var file in Directory.EnumerateFiles(fixture.First.RunDirectory))
            Assert.DoesNotContain("SYN0", File.ReadAllText(file), StringComparison.Ordinal);
        var split = File.ReadAllLines(Path.Combine(fixture.First.RunDirectory, "split.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(fixture.First.Facts.SplitPatients.Values.Sum(), split.Count);
        Assert.Equal(split.Count, split.Select(s => s[0]).Distinct().Count()); // a patient appears in one part only
    }

    [Fact]
    public void Report_states_the_primary_outcomes_on_the_test_split()
    {
        var report = File.ReadAllText(fixture.First.ReportMarkdown);
        Assert.Contains("Primary outcomes (test split", report);
        foreach (var target in GradingTarget.All) Assert.Contains($"| {target.Name} | model |", report);
        Assert.Contains("Against the majority-class baseline", report);
        Assert.Contains("Multitask: overall grade from the finding heads", report);
        Assert.Contains("excluded by the protocol", report);
        Assert.DoesNotContain(Directory.GetDirectories(fixture.Options.RunsDirectory), d => d.Contains(".partial-", StringComparison.Ordinal));
    }

    [Fact]
    public void Comparison_table_has_model_and_readers_with_paired_tests_per_target()
    {
        var csv = File.ReadAllLines(Path.Combine(fixture.First.RunDirectory, "comparison.csv"));
        Assert.StartsWith("target,grader,accuracy,balanced_accuracy,precision_macro,sensitivity_macro,specificity_macro,f1_macro", csv[0]);
        Assert.Equal(1 + 3 * GradingTarget.All.Count, csv.Length);
        foreach (var row in fixture.First.Comparison.Where(r => r.Grader != "model"))
        {
            Assert.NotNull(row.McNemarPVsModel);
            Assert.InRange(row.McNemarPHolm!.Value, row.McNemarPVsModel!.Value, 1.0); // Holm never lowers a p-value
        }
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.First.RunDirectory, "metrics.json")));
        Assert.Equal(3 * GradingTarget.All.Count, json.RootElement.GetProperty("graders").GetArrayLength());
        Assert.Equal(GradingTarget.All.Count, json.RootElement.GetProperty("inter_reader").GetArrayLength());
        Assert.Contains("Model against each reader", File.ReadAllText(fixture.First.ReportMarkdown));
        Assert.Contains("Inter-reader agreement", File.ReadAllText(fixture.First.ReportMarkdown));
    }

    [Fact]
    public void Bad_options_are_refused_before_any_work()
    {
        Assert.Throws<ArgumentException>(() => FacetStudy.Run(fixture.Options with { Name = "../escape" }));
        Assert.Throws<ArgumentException>(() => FacetStudy.Run(fixture.Options with { Patients = 2 }));
    }
}

/// <summary>report.html renders in headless Chromium with every figure loaded (Debian chromium; .ci/run installs it).</summary>
[Collection("study")]
public class HtmlReportRenderTests(StudyFixture fixture)
{
    [SkippableFact]
    public void Report_html_renders_offline_with_every_image_loaded()
    {
        Skip.IfNot(File.Exists("/usr/bin/chromium"), "chromium not installed (apt-get install chromium; .ci/run does)");
        var html = Path.Combine(fixture.First.RunDirectory, "report.html");
        var profile = Path.Combine(fixture.Root, "chromium-profile");
        var (_, dom, _) = FacetMlNet.Tests.Shared.ExternalTool.Run("/usr/bin/chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", new Uri(html).AbsoluteUri],
            TimeSpan.FromMinutes(2));
        var expected = Directory.GetFiles(Path.Combine(fixture.First.RunDirectory, "plots"), "*.png").Length;
        Assert.True(expected >= GradingTarget.All.Count, "one figure per target at least");
        Assert.Contains($"data-images-loaded=\"{expected}/{expected}\"", dom);
    }
}

[Collection("study")]
public class ExternalValidationTests(StudyFixture fixture)
{
    [Fact]
    public void A_trained_model_is_evaluated_on_another_centre_without_retraining()
    {
        var cohort = FacetMlNet.Synthetic.SyntheticCohortGenerator.Generate(
            new() { Patients = 8, Seed = 77, SlicesPerLevel = 1, Centre = FacetMlNet.Synthetic.CentreProfile.External, ExclusionRate = 0 },
            Path.Combine(fixture.Root, "external-cohort"));
        var (dir, comparison) = ExternalValidation.Run(new ExternalValidationOptions
        {
            RunDirectory = fixture.First.RunDirectory,
            CohortDirectory = cohort.Directory,
            Name = "external",
            RunsDirectory = fixture.Options.RunsDirectory,
            ArtifactsDirectory = fixture.Options.ArtifactsDirectory,
            BootstrapReplicates = 100,
        });
        Assert.Equal(2 * GradingTarget.All.Count, comparison.Count);
        foreach (var row in comparison)
            Assert.Equal(row.Internal.Estimate - row.External.Estimate, row.Drop.Estimate, 12);
        // The internal side is the run's own test result of the selected head.
        var internalF1 = fixture.First.Results.Single(r => r.Selected && r.Target == GradingTarget.Overall).Metrics.MacroF1;
        Assert.Equal(internalF1, comparison.Single(c => c.Target == "Overall" && c.Metric == "macro_f1").Internal.Estimate, 4);
        Assert.Contains("Drop (95 % CI)", File.ReadAllText(Path.Combine(dir, "report.md")));
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "plots"), "roc-*.png"));
        Assert.Equal(1 + 3 * GradingTarget.All.Count, File.ReadAllLines(Path.Combine(dir, "comparison.csv")).Length);
    }

    [Fact]
    public void A_folder_that_is_not_a_run_is_a_clear_error() =>
        Assert.Contains("run.json", Assert.Throws<FileNotFoundException>(() => ExternalValidation.Run(new ExternalValidationOptions
        {
            RunDirectory = fixture.Root,
            CohortDirectory = fixture.Root,
        })).Message);
}
