namespace FacetMlNet.Cli.Tests;

/// <summary>Runs the real command tree in process; console redirection makes these tests sequential.</summary>
[Collection("console")]
public sealed class FacetMlCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"facetml-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    internal static (int Code, string Out, string Err) RunCli(params string[] args) => Run(args);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try { return (FacetMlCli.Invoke(args), o.ToString(), e.ToString()); }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public void Synth_writes_a_cohort_and_previews()
    {
        var output = Path.Combine(_root, "cohort");
        var (code, stdout, _) = Run("synth", "--patients", "3", "--seed", "2", "--slices-per-level", "1", "--out", output, "--preview");
        Assert.Equal(0, code);
        Assert.Contains("Wrote 3 patients", stdout);
        Assert.True(File.Exists(Path.Combine(output, "labels.csv")));
        Assert.True(File.Exists(Path.Combine(output, "cohort.json")));
        Assert.True(File.Exists(Path.Combine(output, "preview-Osteophytes.png")));
    }

    [Fact]
    public void User_errors_are_one_line_and_exit_code_2()
    {
        Directory.CreateDirectory(Path.Combine(_root, "notacohort"));
        File.WriteAllText(Path.Combine(_root, "notacohort", "keep.txt"), "x");
        var (code, _, stderr) = Run("synth", "--patients", "1", "--out", Path.Combine(_root, "notacohort"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("not a synthetic cohort", stderr);
        Assert.DoesNotContain("   at ", stderr);

        (code, _, stderr) = Run("study", "--name", "../escape", "--runs", _root);
        Assert.Equal(2, code);
        Assert.Contains("not a valid folder name", stderr);

        (code, _, stderr) = Run("synth", "--centre", "mars", "--out", Path.Combine(_root, "m"));
        Assert.Equal(2, code);
        Assert.Contains("Unknown centre", stderr);
    }

    [Fact]
    public void Help_lists_the_verbs()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("study", stdout);
        Assert.Contains("synth", stdout);
    }
}

[Collection("console")]
public sealed class DicomInfoCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"facetml-info-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Info_lists_each_file_continues_past_a_bad_one_and_fails_the_exit_code()
    {
        var cohort = FacetMlNet.Synthetic.SyntheticCohortGenerator.Generate(new() { Patients = 1, SlicesPerLevel = 1 }, Path.Combine(_root, "c"));
        File.WriteAllText(Path.Combine(cohort.StudiesDirectory, "zz-broken.dcm"), "not dicom at all, just text");
        var (code, stdout, _) = FacetMlCliTests.RunCli("dicom", "info", cohort.StudiesDirectory);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(3, lines.Count(l => l.Contains("pixels ok sha256 ", StringComparison.Ordinal)));
        Assert.Contains("ERROR", lines[^1]);
        Assert.Equal(1, code);
        Assert.DoesNotContain(" patient ", stdout); // no patient identifier field without --show-phi
        (code, stdout, _) = FacetMlCliTests.RunCli("dicom", "info", "--show-phi", "--json", Directory.GetFiles(cohort.StudiesDirectory, "IM0001.dcm", SearchOption.AllDirectories)[0]);
        Assert.Equal(0, code);
        Assert.Contains("\"patient_id\": \"SYN00001\"", stdout);
        Assert.Contains("\"transfer_syntax_uid\": \"1.2.840.10008.1.2.1\"", stdout);
    }
}
