using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Models.Backbones;
using FacetMlNet.Models.Heads;

namespace FacetMlNet.Experiments.Studies;

/// <summary>Settings of <see cref="FacetStudy"/>.</summary>
public sealed record StudyOptions
{
    /// <summary>Run name: results go to <c>runs/&lt;name&gt;</c>.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Folder of runs.</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>Folder of generated artifacts: synthetic cohorts, embedding cache, pseudonym salt.</summary>
    public string ArtifactsDirectory { get; init; } = "artifacts";

    /// <summary>
    /// A cohort folder with <c>studies/</c> and <c>labels.csv</c>. Null: the default synthetic cohort, generated into
    /// the artifacts folder on first use and reused afterwards.
    /// </summary>
    public string? CohortDirectory { get; init; }

    /// <summary>Patients of the synthetic cohort, when one is generated.</summary>
    public int Patients { get; init; } = 200;

    /// <summary>Seed of the synthetic cohort and of the split.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Stratify the split by the patient's worst overall grade.</summary>
    public bool StratifySplit { get; init; } = true;

    /// <summary>Joint crop settings.</summary>
    public JointCropOptions Crop { get; init; } = new();

    /// <summary>Backbone settings.</summary>
    public BackboneOptions Backbone { get; init; } = new();

    /// <summary>Trainers whose heads are trained and compared.</summary>
    public IReadOnlyList<HeadTrainerKind> Trainers { get; init; } = Enum.GetValues<HeadTrainerKind>();

    /// <summary>Bootstrap replicates (by patient) of the confidence intervals; 2,000 by default.</summary>
    public int BootstrapReplicates { get; init; } = 2000;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Name.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"Run name '{Name}' is not a valid folder name.");
        if (CohortDirectory is null && Patients < 10) throw new ArgumentException($"A study needs at least 10 patients (got {Patients}).");
        if (Trainers.Count == 0) throw new ArgumentException("At least one trainer is required.");
        Crop.Validate();
    }
}
