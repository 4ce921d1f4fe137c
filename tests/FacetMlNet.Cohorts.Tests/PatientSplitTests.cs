namespace FacetMlNet.Cohorts.Tests;

public class PatientSplitTests(SmallCohortFixture fixture) : IClassFixture<SmallCohortFixture>
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(99, true)]
    public void A_patient_never_appears_in_two_parts(int seed, bool stratify)
    {
        var split = PatientSplit.Create(fixture.Cohort.Patients, seed, stratify: stratify);
        var parts = Enum.GetValues<SplitPart>().Select(split.PatientsIn).ToList();
        var all = parts.SelectMany(p => p).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(fixture.Cohort.Patients.Select(p => p.PatientId).Order(), all.Order());
        // Every joint of a patient lands in that patient's part.
        foreach (var patient in fixture.Cohort.Patients)
            Assert.Single(patient.Joints.Select(j => split[j.PatientId]).Distinct());
        Assert.All(parts, p => Assert.NotEmpty(p));
    }

    [Fact]
    public void Fractions_are_close_to_70_15_15()
    {
        var patients = Enumerable.Range(0, 1000).Select(i => new CohortPatient { PatientId = $"P{i}", Joints = [] }).ToList();
        var split = PatientSplit.Create(patients, 5);
        Assert.InRange(split.PatientsIn(SplitPart.Train).Count, 690, 710);
        Assert.InRange(split.PatientsIn(SplitPart.Validation).Count, 140, 160);
        Assert.InRange(split.PatientsIn(SplitPart.Test).Count, 140, 160);
    }

    [Fact]
    public void Same_seed_same_split_and_it_round_trips_through_split_csv()
    {
        var a = PatientSplit.Create(fixture.Cohort.Patients, 3);
        var b = PatientSplit.Create(fixture.Cohort.Patients, 3);
        var c = PatientSplit.Create(fixture.Cohort.Patients, 4);
        Assert.Equal(a.PatientsIn(SplitPart.Test), b.PatientsIn(SplitPart.Test));
        Assert.NotEqual(a.PatientsIn(SplitPart.Train), c.PatientsIn(SplitPart.Train));
        var path = Path.Combine(fixture.Root, "split.csv");
        a.Save(path);
        var loaded = PatientSplit.Load(path);
        foreach (var part in Enum.GetValues<SplitPart>()) Assert.Equal(a.PatientsIn(part), loaded.PatientsIn(part));
    }

    [Fact]
    public void Too_few_patients_for_three_parts_is_a_clear_error()
    {
        var two = fixture.Cohort.Patients.Take(2).ToList();
        var e = Assert.Throws<ArgumentException>(() => PatientSplit.Create(two, 1));
        Assert.Contains("at least 3 patients", e.Message);
    }
}
