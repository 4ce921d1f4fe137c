using System.Globalization;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Tests.Shared;
using Xunit.Abstractions;

namespace FacetMlNet.Synthetic.Tests;

/// <summary>
/// The generated files must read cleanly in the tools a user checks them with: DCMTK's dcmdump, dicom3tools'
/// dciodvfy (IOD conformance) and pydicom (Debian's python3, warnings as errors). .ci/run installs them; where they
/// are missing the tests say so and skip.
/// </summary>
public class ExternalDicomToolsTests(ITestOutputHelper output, ExternalDicomToolsTests.Files files) : IClassFixture<ExternalDicomToolsTests.Files>
{
    public sealed class Files : IDisposable
    {
        public Files()
        {
            foreach (var (name, options) in new (string, SyntheticCohortOptions)[]
            {
                ("ct-signed", new() { Patients = 1, Seed = 1, SlicesPerLevel = 1 }),
                ("ct-unsigned", new() { Patients = 1, Seed = 1, SlicesPerLevel = 1, SignedPixels = false }),
                ("mr", new() { Patients = 1, Seed = 1, SlicesPerLevel = 1, Contrast = SyntheticContrast.MR }),
            })
            {
                var cohort = SyntheticCohortGenerator.Generate(options, Path.Combine(Root, name));
                Paths.AddRange(Directory.GetFiles(cohort.StudiesDirectory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(1));
            }
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"facetml-tools-{Guid.NewGuid():N}");

        public List<string> Paths { get; } = [];

        public void Dispose()
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }

    private static (int Code, string Out) Run(string program, params string[] args)
    {
        var (code, output, error) = ExternalTool.Run(program, args);
        return (code, output + error);
    }

    private static bool Installed(string path) => File.Exists(path);

    [SkippableFact]
    public void Dcmtk_dcmdump_reads_them_without_warnings()
    {
        Skip.IfNot(Installed("/usr/bin/dcmdump"), "dcmdump not installed (apt-get install dcmtk; .ci/run does)");
        foreach (var path in files.Paths)
        {
            var (code, text) = Run("/usr/bin/dcmdump", "-q", "+E", path);
            Assert.True(code == 0, $"dcmdump {path}: exit {code}\n{text}");
            Assert.DoesNotContain("W: ", text);
            Assert.DoesNotContain("E: ", text);
        }
    }

    [SkippableFact]
    public void Dicom3tools_dciodvfy_finds_no_error_in_the_ct_and_mr_iods()
    {
        Skip.IfNot(Installed("/usr/bin/dciodvfy"), "dciodvfy not installed (apt-get install dicom3tools; .ci/run does)");
        foreach (var path in files.Paths)
        {
            var (_, text) = Run("/usr/bin/dciodvfy", path);
            output.WriteLine($"{Path.GetRelativePath(files.Root, path)}: {text.Trim()}");
            Assert.DoesNotContain("Error", text);
        }
    }

    [SkippableFact]
    public void Pydicom_reads_them_without_warnings_and_agrees_on_the_pixels()
    {
        Skip.IfNot(Installed("/usr/bin/python3") && Run("/usr/bin/python3", "-c", "import pydicom, numpy").Code == 0,
            "Debian python3 with pydicom and numpy not installed (apt-get install python3-pydicom python3-numpy; .ci/run does)");
        const string script = """
            import sys, pydicom
            from pydicom.pixel_data_handlers.util import apply_modality_lut
            ds = pydicom.dcmread(sys.argv[1])
            a = apply_modality_lut(ds.pixel_array, ds)
            print(f"{a.shape[0]} {a.shape[1]} {float(a.min())} {float(a.max())} {float(a.mean())}")
            """;
        foreach (var path in files.Paths)
        {
            var (code, text) = Run("/usr/bin/python3", "-W", "error", "-c", script, path);
            Assert.True(code == 0, $"pydicom {path}:\n{text}");
            var f = text.Trim().Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var file = DicomFile.Open(path);
            var (slope, intercept) = PixelFunctions.GetRescale(file.Dataset);
            var ours = PixelFunctions.ApplyModalityLut(DicomPixelData.Create(file).GetStoredValues(0), slope, intercept);
            Assert.Equal(file.Dataset.GetNumber(DicomTag.Rows), f[0]);
            Assert.Equal(ours.Min(), f[2], 3);
            Assert.Equal(ours.Max(), f[3], 3);
            Assert.Equal(ours.Average(v => (double)v), f[4], 3);
        }
    }
}
