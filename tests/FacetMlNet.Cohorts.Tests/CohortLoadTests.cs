using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts.Tests;

public class CohortLoadTests(SmallCohortFixture fixture) : IClassFixture<SmallCohortFixture>
{
    private string WriteLabels(Func<List<string>, List<string>> edit)
    {
        var path = Path.Combine(fixture.Root, $"labels-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, edit([.. File.ReadAllLines(fixture.Written.LabelsCsv)]));
        return path;
    }

    private CohortFormatException LoadFails(Func<List<string>, List<string>> edit) =>
        Assert.Throws<CohortFormatException>(() => Cohort.Load(fixture.Written.StudiesDirectory, WriteLabels(edit)));

    [Fact]
    public void Loads_every_joint_and_applies_the_exclusion_criteria()
    {
        var lines = File.ReadAllLines(fixture.Written.LabelsCsv).Skip(1).Select(l => l.Split(',')).ToList();
        var flagged = lines.Where(c => c[3].Length > 0).Select(c => c[0]).Distinct().ToList();
        Assert.Equal(flagged.Count, fixture.Cohort.Excluded.Count);
        Assert.Equal(24 - flagged.Count, fixture.Cohort.Patients.Count);
        Assert.DoesNotContain(fixture.Cohort.Patients, p => flagged.Contains(p.PatientId));
        Assert.All(fixture.Cohort.Patients, p => Assert.Equal(6, p.Joints.Count));
        Assert.All(fixture.Cohort.Joints, j => Assert.NotNull(j.Truth));
    }

    [Fact]
    public void A_label_row_without_a_study_names_the_line()
    {
        var e = LoadFails(l => { var c = l[1].Split(','); c[5] = "1.2.3.4.5"; l[1] = string.Join(',', c); return l; });
        Assert.Contains(":2:", e.Message);
        Assert.Contains("label row without a study", e.Message);
    }

    [Fact]
    public void A_study_without_labels_is_an_error()
    {
        var e = LoadFails(l => [.. l.Where((line, i) => i == 0 || !line.StartsWith(l[1].Split(',')[0] + ",", StringComparison.Ordinal))]);
        Assert.Contains("study without labels", e.Message);
    }

    [Fact]
    public void An_unknown_or_missing_grade_is_an_error()
    {
        var header = File.ReadLines(fixture.Written.LabelsCsv).First().Split(',').ToList();
        var column = header.IndexOf(LabelColumns.Grade(GradingTarget.Findings[2], "ref"));
        var e = LoadFails(l => { var c = l[3].Split(','); c[column] = "7"; l[3] = string.Join(',', c); return l; });
        Assert.Contains("unknown grade '7'", e.Message);
        Assert.Contains(":4:", e.Message);
        e = LoadFails(l => { var c = l[3].Split(','); c[column] = ""; l[3] = string.Join(',', c); return l; });
        Assert.Contains("missing grade", e.Message);
    }

    [Fact]
    public void A_duplicate_joint_is_an_error()
    {
        var e = LoadFails(l => { l.Insert(2, l[1]); return l; });
        Assert.Contains("duplicate joint", e.Message);
    }

    [Fact]
    public void An_overall_grade_that_contradicts_the_findings_is_an_error()
    {
        var header = File.ReadLines(fixture.Written.LabelsCsv).First().Split(',').ToList();
        var column = header.IndexOf(LabelColumns.Grade(GradingTarget.Overall, "ref"));
        var e = LoadFails(l =>
        {
            var c = l[1].Split(',');
            c[column] = c[column] == "3" ? "0" : "3";
            l[1] = string.Join(',', c);
            return l;
        });
        Assert.Contains("Weishaupt", e.Message);
    }

    [Fact]
    public void Missing_files_are_named()
    {
        Assert.Contains("labels file not found", Assert.Throws<CohortFormatException>(() => Cohort.Load(fixture.Written.StudiesDirectory, "/nope/labels.csv")).Message);
        Assert.Contains("studies folder not found", Assert.Throws<CohortFormatException>(() => Cohort.Load("/nope", fixture.Written.LabelsCsv)).Message);
    }
}
