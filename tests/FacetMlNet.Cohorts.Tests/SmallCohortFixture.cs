using FacetMlNet.Synthetic;

namespace FacetMlNet.Cohorts.Tests;

/// <summary>A small synthetic cohort written once for the test class that uses it, deleted afterwards.</summary>
public sealed class SmallCohortFixture : IDisposable
{
    public SmallCohortFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"facetml-cohort-tests-{Guid.NewGuid():N}");
        Written = SyntheticCohortGenerator.Generate(new SyntheticCohortOptions { Patients = 24, Seed = 11, SlicesPerLevel = 3 }, Path.Combine(Root, "cohort"));
        Cohort = Cohort.Load(Written.StudiesDirectory, Written.LabelsCsv);
    }

    public string Root { get; }

    public SyntheticCohort Written { get; }

    public Cohort Cohort { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
