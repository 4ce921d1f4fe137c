using System.Globalization;
using System.Numerics;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Series;
using FacetMlNet.Domain;
using Xunit.Abstractions;

namespace FacetMlNet.Synthetic.Tests;

/// <summary>The joint space measured in the written images (not the generator's numbers) narrows with the grade.</summary>
public class JointWidthInImageTests(ITestOutputHelper output)
{
    [Fact]
    public void Joint_space_width_measured_across_the_joint_falls_with_the_narrowing_grade()
    {
        using var tmp = new TempDir();
        var options = new SyntheticCohortOptions { Patients = 30, Seed = 21, SlicesPerLevel = 1, Centre = CentreProfile.HighResolution, ExclusionRate = 0 };
        var cohort = SyntheticCohortGenerator.Generate(options, tmp.Path);
        var patients = SyntheticCohortGenerator.SamplePatients(options).ToDictionary(p => p.PatientId);
        var volumes = DicomSeries.FromDirectory(cohort.StudiesDirectory).ToDictionary(s => s.SeriesInstanceUID, s => s.ToVolume());
        var lines = File.ReadAllLines(cohort.LabelsCsv);
        var header = lines[0].Split(',').Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        var widths = new Dictionary<int, List<double>>();
        foreach (var line in lines.Skip(1))
        {
            var c = line.Split(',');
            double D(string name) => double.Parse(c[header[name]], CultureInfo.InvariantCulture);
            var patient = patients[c[header[LabelColumns.PatientId]]];
            var joint = FacetJoint.Parse($"{c[header[LabelColumns.Level]]}-{c[header[LabelColumns.Side]]}");
            var truth = patient.Joints.Single(j => j.Joint == joint);
            if (truth.Vacuum || truth.Grades[Finding.Erosion] > 0) continue; // gas and pits change the profile
            // The joint normal from the generator's geometry: side-local (−cos θ, sin θ), mirrored for the right side, rotated.
            var theta = truth.AngleDeg * Math.PI / 180;
            var (u, v) = (-Math.Cos(theta), Math.Sin(theta));
            var x = joint.Side == Side.Left ? u : -u;
            var rot = patient.RotationDeg * Math.PI / 180;
            var normal = new Vector3((float)(Math.Cos(rot) * x - Math.Sin(rot) * v), (float)(Math.Sin(rot) * x + Math.Cos(rot) * v), 0);
            var roi = new Vector3((float)D(LabelColumns.RoiXmm), (float)D(LabelColumns.RoiYmm), (float)D(LabelColumns.RoiZmm));
            var volume = volumes[c[header[LabelColumns.SeriesUid]]];
            var grade = truth.Grades[Finding.JointSpaceNarrowing];
            if (!widths.TryGetValue(grade, out var list)) widths[grade] = list = [];
            list.Add(FullWidthHalfMinimum(volume, roi, normal));
        }
        foreach (var (g, list) in widths.OrderBy(kv => kv.Key))
            output.WriteLine($"narrowing grade {g}: measured {list.Average():F2} mm (n = {list.Count})");
        Assert.True(widths.ContainsKey(0) && widths.ContainsKey(1), "the cohort must hold normal and narrowed joints");
        Assert.InRange(widths[0].Average(), 1.8, 4.2);  // normal 2–4 mm
        Assert.True(widths[1].Average() < widths[0].Average() - 0.4);
        var severe = widths.Where(kv => kv.Key >= 2).SelectMany(kv => kv.Value).ToList();
        if (severe.Count > 0) Assert.True(severe.Average() < widths[1].Average());
    }

    /// <summary>Width of the low-density gap between the two cortical surfaces along the normal, at half depth.</summary>
    private static double FullWidthHalfMinimum(DicomVolume volume, Vector3 centre, Vector3 normal)
    {
        const double step = 0.05;
        var samples = Enumerable.Range(-80, 161).Select(i => (S: i * step, Hu: Sample(volume, centre + normal * (float)(i * step)))).ToArray();
        var mid = samples.Where(p => Math.Abs(p.S) <= 1.5).MinBy(p => p.Hu);
        var left = samples.Where(p => p.S < mid.S).Max(p => p.Hu);
        var right = samples.Where(p => p.S > mid.S).Max(p => p.Hu);
        var half = (mid.Hu + Math.Min(left, right)) / 2;
        var lo = samples.Where(p => p.S < mid.S && p.Hu >= half).Max(p => p.S);
        var hi = samples.Where(p => p.S > mid.S && p.Hu >= half).Min(p => p.S);
        return hi - lo;
    }

    private static float Sample(DicomVolume volume, Vector3 patient)
    {
        var voxel = volume.PatientToVoxel(patient);
        return volume.Sample((int)Math.Round(voxel.Z), voxel.X, voxel.Y, -1000);
    }
}
