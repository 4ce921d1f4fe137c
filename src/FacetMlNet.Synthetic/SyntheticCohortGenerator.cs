using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FacetMlNet.Dicom;
using FacetMlNet.Domain;
using FacetMlNet.Synthetic.Phantoms;
using FacetMlNet.Synthetic.Readers;

namespace FacetMlNet.Synthetic;

/// <summary>What <see cref="SyntheticCohortGenerator.Generate"/> wrote.</summary>
/// <param name="Directory">The cohort folder.</param>
/// <param name="LabelsCsv">Path of <c>labels.csv</c>.</param>
/// <param name="StudiesDirectory">Folder with one study folder per patient.</param>
/// <param name="Patients">Patients written.</param>
/// <param name="Excluded">Patients carrying an exclusion flag.</param>
/// <param name="Files">DICOM files written.</param>
public sealed record SyntheticCohort(string Directory, string LabelsCsv, string StudiesDirectory, int Patients, int Excluded, int Files);

/// <summary>
/// Writes a synthetic lumbar facet cohort: per patient one CT (or MR-like) study with an axial series per level,
/// real DICOM written by FacetMlNet.Dicom; <c>labels.csv</c> with the truth, readers A and B and the reference;
/// <c>cohort.json</c> with the settings.
/// </summary>
public static class SyntheticCohortGenerator
{
    /// <summary>Version of the generator's model of anatomy; written into cohort.json and the DICOM header.</summary>
    public const string GeneratorVersion = "1.0";

    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    private static readonly double[] LevelZ = [0, -36, -71]; // table positions of the three joint planes, mm (× size)

    /// <summary>
    /// Generates the cohort into <paramref name="outputDirectory"/>. It is built in a sibling temporary folder and
    /// moved into place at the end, so a failure leaves nothing half-written; an existing cohort there is replaced.
    /// </summary>
    /// <exception cref="IOException">The folder exists and is not a cohort written by this generator.</exception>
    public static SyntheticCohort Generate(SyntheticCohortOptions options, string outputDirectory, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var target = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, "cohort.json")))
            throw new IOException($"{target} exists and is not a synthetic cohort; choose an empty or new folder.");
        var temp = target.TrimEnd(Path.DirectorySeparatorChar) + $".partial-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            var studies = Path.Combine(temp, "studies");
            var rows = new ConcurrentDictionary<int, string[]>();
            var excluded = 0;
            var files = 0;
            var done = 0;
            Parallel.For(0, options.Patients, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = ct }, i =>
            {
                var patient = PatientSampler.Sample(options.Seed, i, options.ExclusionRate);
                var (lines, count) = WritePatient(options, patient, Path.Combine(studies, patient.PatientId));
                rows[i] = lines;
                if (patient.Exclusion != ExclusionReason.None) Interlocked.Increment(ref excluded);
                Interlocked.Add(ref files, count);
                progress?.Report(Interlocked.Increment(ref done));
            });

            var labels = new StringBuilder();
            labels.AppendLine(string.Join(',', Header()));
            for (var i = 0; i < options.Patients; i++)
                foreach (var line in rows[i]) labels.AppendLine(line);
            File.WriteAllText(Path.Combine(temp, "labels.csv"), labels.ToString());
            WriteCohortJson(options, Path.Combine(temp, "cohort.json"), excluded, files);

            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(temp, target);
            return new SyntheticCohort(target, Path.Combine(target, "labels.csv"), Path.Combine(target, "studies"), options.Patients, excluded, files);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The patients a seed gives, without rendering images (for analysis and tests).</summary>
    public static IReadOnlyList<SyntheticPatient> SamplePatients(SyntheticCohortOptions options) =>
        [.. Enumerable.Range(0, options.Patients).Select(i => PatientSampler.Sample(options.Seed, i, options.ExclusionRate))];

    /// <summary>Readers A and B and the reference for one joint of a sampled patient.</summary>
    public static (FacetGrades A, FacetGrades B, FacetGrades Reference) ReadJoint(SyntheticCohortOptions options, SyntheticPatient patient, JointTruth joint)
    {
        var key = $"{patient.PatientId}/{joint.Joint}";
        var a = ReaderSimulator.Read(ReaderProfile.A, joint.Severity, options.Seed, key);
        var b = ReaderSimulator.Read(ReaderProfile.B, joint.Severity, options.Seed, key);
        return (a, b, ReaderSimulator.Adjudicate(a, b, joint.Severity, options.Seed, key));
    }

    private static IEnumerable<string> Header()
    {
        yield return LabelColumns.PatientId;
        yield return LabelColumns.Age;
        yield return LabelColumns.Sex;
        yield return LabelColumns.Exclusion;
        yield return LabelColumns.StudyUid;
        yield return LabelColumns.SeriesUid;
        yield return LabelColumns.Level;
        yield return LabelColumns.Side;
        yield return LabelColumns.RoiXmm;
        yield return LabelColumns.RoiYmm;
        yield return LabelColumns.RoiZmm;
        yield return LabelColumns.RoiColumn;
        yield return LabelColumns.RoiRow;
        yield return LabelColumns.RoiSlice;
        foreach (var target in GradingTarget.All)
            foreach (var grader in LabelColumns.Graders)
                yield return LabelColumns.Grade(target, grader);
    }

    private static (string[] Lines, int Files) WritePatient(SyntheticCohortOptions options, SyntheticPatient patient, string studyDir)
    {
        var rng = SeededRandom.For(options.Seed, "acquisition", patient.PatientId);
        var centre = options.Centre;
        var spacing = Math.Round(rng.Uniform(centre.PixelSpacingMm), 3);
        var thickness = Math.Round(rng.Uniform(centre.SliceThicknessMm), 2);
        var noise = rng.Uniform(centre.NoiseSigmaHu);
        var mr = options.Contrast == SyntheticContrast.MR;
        var table = mr ? TissueTable.MagneticResonanceT1(patient.Age)
            : TissueTable.ComputedTomography(patient.Age, rng.Uniform(1000, 1400), rng.Uniform(-100, -70));
        if (mr) noise *= 0.5; // in MR units, ≈ 2–3 % of fat signal
        var n = centre.Matrix;
        // Field of view centred a little behind the canal, shifted by a few mm per patient.
        var x0 = -(n / 2.0 - 0.5) * spacing + rng.Uniform(-4, 4);
        var y0 = 6 - (n / 2.0 - 0.5) * spacing + rng.Uniform(-4, 4);
        var studyUid = DicomUid.FromName($"facetmlnet/{options.Seed}/{centre.Name}/{patient.PatientId}/study");
        var frameUid = DicomUid.FromName($"facetmlnet/{options.Seed}/{centre.Name}/{patient.PatientId}/frame");
        var lines = new List<string>();
        var files = 0;
        foreach (var level in Enum.GetValues<SpinalLevel>())
        {
            var phantom = new LevelPhantom(patient, level);
            var levelZ = LevelZ[(int)level] * patient.Size + 300;
            var seriesUid = DicomUid.FromName($"facetmlnet/{options.Seed}/{centre.Name}/{patient.PatientId}/{level}");
            // The slab is centred near, not exactly on, the joint plane, as a technologist would place it.
            var zOffset = rng.Uniform(-0.4, 0.4) * thickness;
            var zs = Enumerable.Range(0, options.SlicesPerLevel).Select(k => (k - (options.SlicesPerLevel - 1) / 2.0) * thickness + zOffset).ToArray();
            var images = SliceRenderer.RenderSeries(phantom, table, n, x0, y0, spacing, zs, thickness, centre.KernelBlurMm, noise,
                k => SeededRandom.For(options.Seed, "noise", patient.PatientId, level, k), rectifyNoise: mr);
            for (var k = 0; k < zs.Length; k++)
            {
                var dataset = SliceDataset(options, patient, level, k, zs.Length, images[k], x0, y0, levelZ + zs[k], spacing, thickness, studyUid, seriesUid, frameUid);
                new DicomFile(dataset).Save(Path.Combine(studyDir, level.ToString(), $"IM{k + 1:D4}.dcm"));
                files++;
            }
            // ROI centre: the joint centre in patient mm and in the pixels and slice of this series.
            var nearest = Enumerable.Range(0, zs.Length).MinBy(k => Math.Abs(zs[k]));
            foreach (var side in Enum.GetValues<Side>())
            {
                var (jx, jy) = phantom.JointCentre(side);
                var joint = patient.Joints.Single(j => j.Joint == new FacetJoint(level, side));
                var (a, b, reference) = ReadJoint(options, patient, joint);
                var cells = new List<string>
                {
                    patient.PatientId, patient.Age.ToString(CultureInfo.InvariantCulture), patient.Sex,
                    patient.Exclusion == ExclusionReason.None ? "" : patient.Exclusion.ToString(),
                    studyUid, seriesUid, level.ToString(), side.ToString(),
                    F(jx), F(jy), F(levelZ), F((jx - x0) / spacing), F((jy - y0) / spacing), nearest.ToString(CultureInfo.InvariantCulture),
                };
                foreach (var target in GradingTarget.All)
                    foreach (var grades in (FacetGrades[])[joint.Grades, a, b, reference])
                        cells.Add(grades.Of(target).ToString(CultureInfo.InvariantCulture));
                lines.Add(string.Join(',', cells));
            }
        }
        return ([.. lines], files);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static DicomDataset SliceDataset(SyntheticCohortOptions options, SyntheticPatient patient, SpinalLevel level, int index, int count,
        float[] image, double x0, double y0, double z, double spacing, double thickness, string studyUid, string seriesUid, string frameUid)
    {
        var mr = options.Contrast == SyntheticContrast.MR;
        var signed = options.SignedPixels && !mr;
        var pixels = new byte[image.Length * 2];
        for (var i = 0; i < image.Length; i++)
        {
            // CT: stored = HU + 1024 (Rescale Intercept −1024); unsigned storage clips to 12 bits as scanners do.
            var stored = mr ? Math.Clamp(MathF.Round(image[i]), 0, 4095) : Math.Clamp(MathF.Round(image[i] + 1024), signed ? -1024 : 0, signed ? 32767 : 4095);
            var v = (int)stored;
            pixels[2 * i] = (byte)v;
            pixels[2 * i + 1] = (byte)(v >> 8);
        }
        var sop = DicomUid.FromName($"{seriesUid}/{index}");
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100")
            .AddOrUpdate(DicomTag.ImageType, DicomVR.CS, mr ? ["DERIVED", "SECONDARY", "OTHER"] : ["DERIVED", "SECONDARY", "AXIAL"])
            .AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, mr ? MrImageStorage : CtImageStorage)
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, sop)
            .AddOrUpdate(DicomTag.StudyDate, DicomVR.DA, "20260101")
            .AddOrUpdate(DicomTag.StudyTime, DicomVR.TM, "080000")
            .AddOrUpdate(DicomTag.AccessionNumber, DicomVR.SH, "")
            .AddOrUpdate(DicomTag.Modality, DicomVR.CS, mr ? "MR" : "CT")
            .AddOrUpdate(DicomTag.Manufacturer, DicomVR.LO, options.Centre.Manufacturer)
            .AddOrUpdate(DicomTag.InstitutionName, DicomVR.LO, options.Centre.Name)
            .AddOrUpdate(DicomTag.ReferringPhysicianName, DicomVR.PN, "")
            .AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, "LUMBAR SPINE FACETS")
            .AddOrUpdate(DicomTag.SeriesDescription, DicomVR.LO, $"AXIAL {FacetJoint.LevelName(level)}")
            .AddOrUpdate(DicomTag.ManufacturerModelName, DicomVR.LO, $"FacetMlNet.Synthetic {GeneratorVersion}")
            .AddOrUpdate(DicomTag.PatientName, DicomVR.PN, $"SYNTHETIC^{patient.PatientId}")
            .AddOrUpdate(DicomTag.PatientID, DicomVR.LO, patient.PatientId)
            .AddOrUpdate(DicomTag.PatientBirthDate, DicomVR.DA, "")
            .AddOrUpdate(DicomTag.PatientSex, DicomVR.CS, patient.Sex)
            .AddOrUpdate(DicomTag.PatientAge, DicomVR.AS, $"{patient.Age:D3}Y")
            .AddOrUpdate(DicomTag.BodyPartExamined, DicomVR.CS, "LSPINE")
            .AddOrUpdate(DicomTag.SliceThickness, DicomVR.DS, thickness)
            .AddOrUpdate(DicomTag.PatientPosition, DicomVR.CS, "HFS")
            .AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, studyUid)
            .AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, seriesUid)
            .AddOrUpdate(DicomTag.StudyID, DicomVR.SH, "1")
            .AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, 1 + (int)level)
            .AddOrUpdate(DicomTag.AcquisitionNumber, DicomVR.IS, 1)
            .AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, index + 1)
            .AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, Math.Round(x0, 4), Math.Round(y0, 4), Math.Round(z, 4))
            .AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 1, 0)
            .AddOrUpdate(DicomTag.FrameOfReferenceUID, DicomVR.UI, frameUid)
            .AddOrUpdate(DicomTag.PositionReferenceIndicator, DicomVR.LO, "")
            .AddOrUpdate(DicomTag.SliceLocation, DicomVR.DS, Math.Round(z, 4))
            .AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, 1)
            .AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTag.Rows, DicomVR.US, options.Centre.Matrix)
            .AddOrUpdate(DicomTag.Columns, DicomVR.US, options.Centre.Matrix)
            .AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, spacing, spacing)
            .AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16)
            .AddOrUpdate(DicomTag.BitsStored, DicomVR.US, signed ? 16 : 12)
            .AddOrUpdate(DicomTag.HighBit, DicomVR.US, signed ? 15 : 11)
            .AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, signed ? 1 : 0)
            .AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, pixels));
        if (mr)
        {
            // MR Image module (PS3.3 C.8.3.1): a 1.5 T axial T1 spin echo, as in Fujiwara 1999.
            ds.AddOrUpdate(new DicomTag(0x0018, 0x0020), DicomVR.CS, "SE")      // Scanning Sequence
              .AddOrUpdate(new DicomTag(0x0018, 0x0021), DicomVR.CS, "NONE")    // Sequence Variant
              .AddOrUpdate(new DicomTag(0x0018, 0x0022), DicomVR.CS, "")        // Scan Options
              .AddOrUpdate(new DicomTag(0x0018, 0x0023), DicomVR.CS, "2D")      // MR Acquisition Type
              .AddOrUpdate(new DicomTag(0x0018, 0x0080), DicomVR.DS, 500)       // Repetition Time, ms
              .AddOrUpdate(new DicomTag(0x0018, 0x0081), DicomVR.DS, 12)        // Echo Time, ms
              .AddOrUpdate(new DicomTag(0x0018, 0x0087), DicomVR.DS, 1.5)       // Magnetic Field Strength, T
              .AddOrUpdate(new DicomTag(0x0018, 0x0091), DicomVR.IS, 1);        // Echo Train Length
        }
        else
        {
            ds.AddOrUpdate(DicomTag.KVP, DicomVR.DS, 120)
              .AddOrUpdate(DicomTag.ConvolutionKernel, DicomVR.SH, options.Centre.KernelBlurMm < 0.3 ? "BONE" : "STANDARD")
              .AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, 400)
              .AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, 2000)
              .AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, -1024)
              .AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 1)
              .AddOrUpdate(DicomTag.RescaleType, DicomVR.LO, "HU");
        }
        return ds;
    }

    private static void WriteCohortJson(SyntheticCohortOptions options, string path, int excluded, int files)
    {
        var json = new
        {
            generator = "FacetMlNet.Synthetic",
            version = GeneratorVersion,
            seed = options.Seed,
            patients = options.Patients,
            excluded,
            files,
            contrast = options.Contrast.ToString(),
            centre = options.Centre.Name,
            matrix = options.Centre.Matrix,
            pixel_spacing_mm = new[] { options.Centre.PixelSpacingMm.Min, options.Centre.PixelSpacingMm.Max },
            slice_thickness_mm = new[] { options.Centre.SliceThicknessMm.Min, options.Centre.SliceThicknessMm.Max },
            noise_sigma = new[] { options.Centre.NoiseSigmaHu.Min, options.Centre.NoiseSigmaHu.Max },
            kernel_blur_mm = options.Centre.KernelBlurMm,
            slices_per_level = options.SlicesPerLevel,
            signed_pixels = options.SignedPixels,
            exclusion_rate = options.ExclusionRate,
            joints = FacetJoint.Default.Select(j => j.ToString()),
            targets = GradingTarget.All.Select(t => new { name = t.Name, grades = t.GradeCount }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }
}
