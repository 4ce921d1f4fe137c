using System.Security.Cryptography;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic.Tests;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"facetml-synth-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

public class SyntheticCohortTests
{
    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Same_seed_gives_byte_identical_output_and_another_seed_does_not()
    {
        using var tmp = new TempDir();
        var options = new SyntheticCohortOptions { Patients = 3, Seed = 42, SlicesPerLevel = 2 };
        SyntheticCohortGenerator.Generate(options, System.IO.Path.Combine(tmp.Path, "a"));
        SyntheticCohortGenerator.Generate(options with { MaxDegreeOfParallelism = 1 }, System.IO.Path.Combine(tmp.Path, "b"));
        SyntheticCohortGenerator.Generate(options with { Seed = 43 }, System.IO.Path.Combine(tmp.Path, "c"));
        var a = Hashes(System.IO.Path.Combine(tmp.Path, "a"));
        var b = Hashes(System.IO.Path.Combine(tmp.Path, "b"));
        var c = Hashes(System.IO.Path.Combine(tmp.Path, "c"));
        Assert.Equal(3 * 3 * 2 + 2, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a["labels.csv"], c["labels.csv"]);
    }

    [Fact]
    public void Ct_slices_are_real_dicom_in_hounsfield_units_with_the_realistic_tissues()
    {
        using var tmp = new TempDir();
        var cohort = SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = 2, Seed = 5, SlicesPerLevel = 3 }, tmp.Path);
        var files = Directory.GetFiles(cohort.StudiesDirectory, "*.dcm", SearchOption.AllDirectories);
        Assert.Equal(cohort.Files, files.Length);
        var file = DicomFile.Open(files[1]);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("CT", file.Dataset.GetString(DicomTag.Modality));
        Assert.Equal(-1024, file.Dataset.GetNumber(DicomTag.RescaleIntercept));
        Assert.InRange(file.Dataset.GetNumber(DicomTag.PixelSpacing), 0.3, 0.8);
        Assert.InRange(file.Dataset.GetNumber(DicomTag.SliceThickness), 0.6, 3.0);
        var age = file.Dataset.GetString(DicomTag.PatientAge);
        Assert.Matches("^0[2-9][0-9]Y$", age);
        var (slope, intercept) = PixelFunctions.GetRescale(file.Dataset);
        var hu = PixelFunctions.ApplyModalityLut(DicomPixelData.Create(file).GetStoredValues(0), slope, intercept).Order().ToArray();
        float Percentile(double p) => hu[(int)(p * (hu.Length - 1))];
        Assert.InRange(Percentile(0.5), -130, 80);      // fat and muscle fill most of a small field of view
        Assert.InRange(Percentile(0.999), 700, 1800);   // cortical bone 1000–1500 HU, blurred and noisy
        Assert.InRange(Percentile(0.001), -1100, -60);  // fat ≈ −100 HU with noise
    }

    [Fact]
    public void Labels_have_every_joint_and_grader_and_roi_in_pixels_matches_mm()
    {
        using var tmp = new TempDir();
        var cohort = SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = 2, Seed = 9, SlicesPerLevel = 1 }, tmp.Path);
        var lines = File.ReadAllLines(cohort.LabelsCsv);
        var header = lines[0].Split(',');
        Assert.Equal(1 + 2 * 6, lines.Length);
        foreach (var target in GradingTarget.All)
            foreach (var grader in LabelColumns.Graders)
                Assert.Contains(LabelColumns.Grade(target, grader), header);
        Assert.DoesNotContain(header, h => h.Contains("name", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Mr_contrast_writes_mr_without_hounsfield_rescale()
    {
        using var tmp = new TempDir();
        var cohort = SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = 1, Seed = 3, SlicesPerLevel = 1, Contrast = SyntheticContrast.MR }, tmp.Path);
        var file = DicomFile.Open(Directory.GetFiles(cohort.StudiesDirectory, "*.dcm", SearchOption.AllDirectories)[0]);
        Assert.Equal("MR", file.Dataset.GetString(DicomTag.Modality));
        Assert.False(file.Dataset.Contains(DicomTag.RescaleIntercept));
        Assert.All(DicomPixelData.Create(file).GetStoredValues(0), v => Assert.InRange(v, 0, 4095));
    }

    [Fact]
    public void An_existing_folder_that_is_not_a_cohort_is_not_overwritten()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Path);
        File.WriteAllText(System.IO.Path.Combine(tmp.Path, "precious.txt"), "keep me");
        Assert.Throws<IOException>(() => SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = 1 }, tmp.Path));
        Assert.Equal("keep me", File.ReadAllText(System.IO.Path.Combine(tmp.Path, "precious.txt")));
        Assert.Empty(Directory.GetDirectories(System.IO.Path.GetDirectoryName(tmp.Path)!, System.IO.Path.GetFileName(tmp.Path) + ".partial-*"));
    }

    [Fact]
    public void Exclusion_flags_are_a_few_percent_of_patients()
    {
        var patients = SyntheticCohortGenerator.SamplePatients(new SyntheticCohortOptions { Patients = 1132, Seed = 7 });
        var rate = patients.Count(p => p.Exclusion != ExclusionReason.None) / 1132.0;
        Assert.InRange(rate, 0.02, 0.07);
        Assert.True(patients.Select(p => p.Exclusion).Distinct().Count() >= 4, "every exclusion reason occurs");
    }
}
