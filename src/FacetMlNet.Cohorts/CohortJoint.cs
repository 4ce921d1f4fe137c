using System.Numerics;
using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts;

/// <summary>One graded facet joint of a cohort: where it is, and how each grader graded it.</summary>
public sealed record CohortJoint
{
    /// <summary>The patient's identifier as in the labels (never written to outputs; see <see cref="Pseudonymizer"/>).</summary>
    public required string PatientId { get; init; }

    /// <summary>Which joint.</summary>
    public required FacetJoint Joint { get; init; }

    /// <summary>Series Instance UID of the series the ROI lies in.</summary>
    public required string SeriesUid { get; init; }

    /// <summary>ROI centre in patient coordinates, mm.</summary>
    public required Vector3 RoiMm { get; init; }

    /// <summary>Reader A's grades.</summary>
    public required FacetGrades ReaderA { get; init; }

    /// <summary>Reader B's grades.</summary>
    public required FacetGrades ReaderB { get; init; }

    /// <summary>The reference standard (senior adjudication).</summary>
    public required FacetGrades Reference { get; init; }

    /// <summary>The generator's truth, for synthetic cohorts only (analysis, never training).</summary>
    public FacetGrades? Truth { get; init; }

    /// <summary>A key unique within the cohort, e.g. <c>SYN00001/L4L5-Left</c>.</summary>
    public string Key => $"{PatientId}/{Joint}";
}

/// <summary>A patient of a cohort with the joints graded.</summary>
public sealed record CohortPatient
{
    /// <summary>The patient's identifier as in the labels.</summary>
    public required string PatientId { get; init; }

    /// <summary>Age in years, when the labels give it.</summary>
    public int? Age { get; init; }

    /// <summary>Sex, when the labels give it.</summary>
    public string? Sex { get; init; }

    /// <summary>The graded joints.</summary>
    public required IReadOnlyList<CohortJoint> Joints { get; init; }

    /// <summary>The worst reference overall grade among the joints: the stratum of a stratified split.</summary>
    public int WorstOverallGrade => Joints.Count == 0 ? 0 : Joints.Max(j => j.Reference.Overall);
}
