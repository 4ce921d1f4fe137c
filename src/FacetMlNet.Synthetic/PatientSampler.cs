using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic;

/// <summary>
/// Draws patients and the true state of their joints. Degeneration is a latent severity per joint that rises with
/// age and from L3/4 to L4/5 and L5/S1, shared by the joint's findings (so they correlate) and by the patient's
/// joints (a patient effect), then cut into grades per finding.
/// </summary>
internal static class PatientSampler
{
    // Latent offsets per level: L4/5 is the most often degenerate, then L5/S1, then L3/4.
    private static readonly double[] LevelOffset = [-0.35, 0.25, 0.1];
    private static readonly double[] MeanAngle = [37.5, 45, 52.5];        // Van Schaik 1985 (approximate)
    private static readonly (double Mean, double Sd)[] Curvature = [(43.7, 10.5), (63.8, 26.4), (82.3, 23.5)]; // Van Schaik 1997

    // How strongly each finding follows the joint's degeneration, and its own spread.
    private static readonly double[] Loading = [1.0, 0.85, 0.95, 0.7, 0.75];
    private static readonly double[] OwnNoise = [0.45, 0.55, 0.5, 0.5, 0.5];

    // Cut points of the latent scale into grades 1, 2, 3 per finding (cysts: present above the first).
    private static readonly double[][] Cuts =
    [
        [0.0, 0.9, 1.7],   // narrowing
        [0.1, 1.0, 1.9],   // hypertrophy
        [-0.1, 0.9, 1.8],  // osteophytes
        [0.8, 1.4, 2.0],   // erosion (rarer)
        [1.35],            // cysts (rarer)
    ];

    public static SyntheticPatient Sample(int seed, int index, double exclusionRate)
    {
        var rng = SeededRandom.For(seed, "patient", index);
        var age = (int)Math.Clamp(Math.Round(rng.Gaussian(56, 15)), 20, 90);
        var sex = rng.Chance(0.48) ? "M" : "F";
        var exclusion = rng.Chance(exclusionRate) ? (ExclusionReason)(1 + rng.Next(4)) : ExclusionReason.None;
        var size = Math.Clamp(rng.Gaussian(sex == "M" ? 1.05 : 0.95, 0.05), 0.85, 1.2);
        var rotation = rng.Gaussian(0, 2.5);
        var patientEffect = rng.Gaussian(0, 0.45);
        var levelAngleJitter = new double[3];
        for (var l = 0; l < 3; l++) levelAngleJitter[l] = rng.Gaussian(0, 3);

        var joints = new List<JointTruth>();
        foreach (var joint in FacetJoint.Default)
        {
            var l = (int)joint.Level;
            var latent = -1.05 + 0.036 * (age - 20) + LevelOffset[l] + patientEffect + rng.Gaussian(0, 0.4);
            var severity = new double[5];
            var grades = new int[5];
            for (var f = 0; f < 5; f++)
            {
                var x = Loading[f] * latent + rng.Gaussian(0, OwnNoise[f]);
                var cuts = Cuts[f];
                var g = cuts.Count(c => x >= c);
                grades[f] = g;
                // Position inside the grade's latent interval, mapped to −0.5 … +0.5.
                var lo = g == 0 ? cuts[0] - 1.0 : cuts[g - 1];
                var hi = g == cuts.Length ? cuts[^1] + 1.0 : cuts[g];
                severity[f] = g + Math.Clamp((x - lo) / (hi - lo), 0, 1) - 0.5;
            }
            var frac = severity.Select((s, f) => Math.Clamp(s - grades[f] + 0.5, 0, 1)).ToArray();
            var narrowing = grades[(int)Finding.JointSpaceNarrowing];
            // Normal joint space 2–4 mm; narrowing < 2 mm; severe < 1 mm (shared/anatomy.md).
            double[] widthLo = [2.0, 1.45, 1.0, 0.45], widthHi = [3.6, 2.0, 1.45, 1.0];
            var width = widthHi[narrowing] - frac[0] * (widthHi[narrowing] - widthLo[narrowing]);
            var hyp = grades[(int)Finding.Hypertrophy];
            double[] hypLo = [0.95, 1.18, 1.38, 1.6], hypHi = [1.12, 1.36, 1.58, 1.85];
            var ost = grades[(int)Finding.Osteophytes];
            double[] ostLo = [0, 1.2, 2.4, 3.8], ostHi = [0.4, 2.2, 3.6, 6.0];
            var ero = grades[(int)Finding.Erosion];
            double[] eroLo = [0, 0.45, 0.8, 1.2], eroHi = [0, 0.75, 1.15, 1.8];
            var cysts = new List<(double, double, double, double, bool)>();
            if (grades[(int)Finding.SubchondralCysts] > 0)
            {
                var n = 1 + (rng.Chance(0.3) ? 1 : 0);
                for (var c = 0; c < n; c++)
                    cysts.Add((rng.Uniform(-4, 4), rng.Uniform(0.4, 1.2), rng.Uniform(-2.5, 2.5), rng.Uniform(1.0, 2.5), rng.Chance(0.6)));
            }
            var side = joint.Side == Side.Left ? 1 : -1;
            var (cm, csd) = Curvature[l];
            joints.Add(new JointTruth
            {
                Joint = joint,
                Grades = new FacetGrades(grades),
                Severity = severity,
                WidthMm = width,
                HypertrophyScale = hypLo[hyp] + frac[1] * (hypHi[hyp] - hypLo[hyp]),
                OsteophyteMm = ostLo[ost] + frac[2] * (ostHi[ost] - ostLo[ost]),
                ErosionDepthMm = eroLo[ero] + frac[3] * (eroHi[ero] - eroLo[ero]),
                ErosionPits = ero == 0 ? 0 : 1 + ero * 2,
                Cysts = cysts,
                Vacuum = narrowing >= 2 && rng.Chance(0.25 * (narrowing - 1)),
                AngleDeg = MeanAngle[l] + levelAngleJitter[l] + side * rng.Gaussian(0, 3.5),
                CurvatureDiameterMm = Math.Max(28, rng.Gaussian(cm, csd * 0.6)),
                PatternSeed = (int)(rng.NextUInt64() & 0x7FFFFFFF),
            });
        }
        return new SyntheticPatient
        {
            PatientId = $"SYN{index + 1:D5}",
            Age = age,
            Sex = sex,
            Exclusion = exclusion,
            Size = size,
            RotationDeg = rotation,
            Joints = joints,
        };
    }
}
