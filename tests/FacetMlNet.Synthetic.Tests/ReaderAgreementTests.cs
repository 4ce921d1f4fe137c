using FacetMlNet.Domain;
using FacetMlNet.Evaluation.Metrics;
using Xunit.Abstractions;

namespace FacetMlNet.Synthetic.Tests;

/// <summary>The simulated readers reproduce the literature's agreement on a 1,132-patient cohort (shared/anatomy.md).</summary>
public class ReaderAgreementTests(ITestOutputHelper output)
{
    private static readonly SyntheticCohortOptions Options = new() { Patients = 1132, Seed = 7 };

    private static (List<FacetGrades> A, List<FacetGrades> B, List<FacetGrades> Ref, List<JointTruth> Truth) Read()
    {
        var a = new List<FacetGrades>();
        var b = new List<FacetGrades>();
        var r = new List<FacetGrades>();
        var t = new List<JointTruth>();
        foreach (var patient in SyntheticCohortGenerator.SamplePatients(Options))
            foreach (var joint in patient.Joints)
            {
                var (ga, gb, gr) = SyntheticCohortGenerator.ReadJoint(Options, patient, joint);
                a.Add(ga);
                b.Add(gb);
                r.Add(gr);
                t.Add(joint);
            }
        return (a, b, r, t);
    }

    [Fact]
    public void Overall_grade_weighted_kappa_is_about_0_6_as_Weishaupt_reported_on_CT()
    {
        var (a, b, _, _) = Read();
        var kappa = Agreement.CohenKappa([.. a.Select(g => g.Overall)], [.. b.Select(g => g.Overall)], 4, KappaWeighting.Linear);
        output.WriteLine($"overall linear-weighted kappa {kappa:F3}");
        Assert.InRange(kappa, 0.5, 0.7);
    }

    [Theory]
    [InlineData(Finding.JointSpaceNarrowing, 0.8)]
    [InlineData(Finding.Erosion, 0.8)]
    [InlineData(Finding.SubchondralCysts, 0.8)]
    [InlineData(Finding.Osteophytes, 0.58)]
    [InlineData(Finding.Hypertrophy, 0.58)]
    public void Per_finding_PABAK_matches_Eur_Radiol_2019(Finding finding, double target)
    {
        var (a, b, _, _) = Read();
        var classes = GradingTarget.Findings[(int)finding].GradeCount;
        var pabak = Agreement.Pabak([.. a.Select(g => g[finding])], [.. b.Select(g => g[finding])], classes);
        output.WriteLine($"{finding} PABAK {pabak:F3} (target {target})");
        Assert.InRange(pabak, target - 0.1, target + 0.1);
    }

    [Fact]
    public void Reference_lies_between_the_readers_and_equals_them_where_they_agree()
    {
        var (a, b, r, _) = Read();
        for (var i = 0; i < a.Count; i++)
            foreach (var f in Enum.GetValues<Finding>())
            {
                Assert.InRange(r[i][f], Math.Min(a[i][f], b[i][f]), Math.Max(a[i][f], b[i][f]));
                if (a[i][f] == b[i][f]) Assert.Equal(a[i][f], r[i][f]);
            }
    }

    [Fact]
    public void Prevalence_rises_with_age_and_from_L3_4_to_the_lower_levels()
    {
        var patients = SyntheticCohortGenerator.SamplePatients(Options);
        double Mean(IEnumerable<JointTruth> joints) => joints.Average(j => j.Grades.Overall);
        var young = Mean(patients.Where(p => p.Age < 40).SelectMany(p => p.Joints));
        var old = Mean(patients.Where(p => p.Age >= 65).SelectMany(p => p.Joints));
        Assert.True(old > young + 0.5, $"mean overall grade {old:F2} at ≥ 65 vs {young:F2} under 40");
        var byLevel = Enum.GetValues<SpinalLevel>().ToDictionary(l => l, l => Mean(patients.SelectMany(p => p.Joints).Where(j => j.Joint.Level == l)));
        Assert.True(byLevel[SpinalLevel.L4L5] > byLevel[SpinalLevel.L3L4] && byLevel[SpinalLevel.L5S1] > byLevel[SpinalLevel.L3L4]);
        var all = patients.SelectMany(p => p.Joints).ToList();
        for (var g = 0; g < 4; g++)
            output.WriteLine($"overall grade {g}: {all.Count(j => j.Grades.Overall == g) / (double)all.Count:P1}");
        Assert.All(Enumerable.Range(0, 4), g => Assert.InRange(all.Count(j => j.Grades.Overall == g) / (double)all.Count, 0.05, 0.6));
    }

    [Fact]
    public void Findings_are_correlated_within_a_joint()
    {
        var all = SyntheticCohortGenerator.SamplePatients(Options).SelectMany(p => p.Joints).ToList();
        double Corr(Finding x, Finding y)
        {
            var xs = all.Select(j => (double)j.Grades[x]).ToArray();
            var ys = all.Select(j => (double)j.Grades[y]).ToArray();
            double mx = xs.Average(), my = ys.Average();
            var cov = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
            return cov / Math.Sqrt(xs.Sum(v => (v - mx) * (v - mx)) * ys.Sum(v => (v - my) * (v - my)));
        }
        Assert.True(Corr(Finding.JointSpaceNarrowing, Finding.Osteophytes) > 0.4);
        Assert.True(Corr(Finding.Hypertrophy, Finding.Erosion) > 0.2);
    }

    [Fact]
    public void Joint_space_width_follows_the_narrowing_grade()
    {
        var all = SyntheticCohortGenerator.SamplePatients(Options).SelectMany(p => p.Joints).ToList();
        foreach (var j in all)
        {
            var g = j.Grades[Finding.JointSpaceNarrowing];
            // Normal 2–4 mm; < 2 mm is narrowing; < 1 mm severe (shared/anatomy.md).
            if (g == 0) Assert.InRange(j.WidthMm, 2.0, 4.0);
            else if (g == 3) Assert.InRange(j.WidthMm, 0.3, 1.0);
            else Assert.InRange(j.WidthMm, 1.0, 2.0);
        }
    }
}
