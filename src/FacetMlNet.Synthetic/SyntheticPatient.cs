using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic;

/// <summary>Reasons the study protocol excludes a patient.</summary>
public enum ExclusionReason
{
    /// <summary>Not excluded.</summary>
    None,
    /// <summary>Spondylolisthesis.</summary>
    Spondylolisthesis,
    /// <summary>Vertebral fracture.</summary>
    Fracture,
    /// <summary>Prior lumbar surgery.</summary>
    PriorSurgery,
    /// <summary>Severe scoliosis.</summary>
    SevereScoliosis,
}

/// <summary>One synthetic patient: demographics, body habitus and the true state of each facet joint.</summary>
public sealed record SyntheticPatient
{
    /// <summary>Synthetic patient identifier, e.g. <c>SYN00042</c>.</summary>
    public required string PatientId { get; init; }

    /// <summary>Age in years, 20–90.</summary>
    public required int Age { get; init; }

    /// <summary>"M" or "F".</summary>
    public required string Sex { get; init; }

    /// <summary>Exclusion flag, <see cref="ExclusionReason.None"/> for an eligible patient.</summary>
    public required ExclusionReason Exclusion { get; init; }

    /// <summary>Body size factor, ≈ 0.85–1.15 (men larger).</summary>
    public required double Size { get; init; }

    /// <summary>Axial rotation of the spine, degrees.</summary>
    public required double RotationDeg { get; init; }

    /// <summary>The joints, in <see cref="FacetJoint.Default"/> order.</summary>
    public required IReadOnlyList<JointTruth> Joints { get; init; }
}

/// <summary>The generator's truth for one joint: grades, the continuous severities behind them, and the geometry.</summary>
public sealed record JointTruth
{
    /// <summary>Which joint.</summary>
    public required FacetJoint Joint { get; init; }

    /// <summary>True grades of the five findings.</summary>
    public required FacetGrades Grades { get; init; }

    /// <summary>Continuous severity per finding (grade + position inside the grade, −0.5…+0.5): borderline cases are what readers disagree on.</summary>
    public required IReadOnlyList<double> Severity { get; init; }

    /// <summary>Joint space width at the joint centre, mm.</summary>
    public required double WidthMm { get; init; }

    /// <summary>Articular-process thickness factor (1 = normal).</summary>
    public required double HypertrophyScale { get; init; }

    /// <summary>Marginal osteophyte length, mm.</summary>
    public required double OsteophyteMm { get; init; }

    /// <summary>Depth of subchondral erosions, mm.</summary>
    public required double ErosionDepthMm { get; init; }

    /// <summary>Number of erosion pits per surface.</summary>
    public required int ErosionPits { get; init; }

    /// <summary>Subchondral cysts: along-joint position (mm), depth below the surface (mm), z (mm), radius (mm), on the superior process (else inferior).</summary>
    public required IReadOnlyList<(double T, double Depth, double Z, double Radius, bool OnSuperior)> Cysts { get; init; }

    /// <summary>Gas in the joint (vacuum phenomenon).</summary>
    public required bool Vacuum { get; init; }

    /// <summary>Angle of the joint line to the mid-sagittal plane, degrees.</summary>
    public required double AngleDeg { get; init; }

    /// <summary>Diameter of the facet orientation circle, mm (joint curvature).</summary>
    public required double CurvatureDiameterMm { get; init; }

    /// <summary>Seed of the pit pattern.</summary>
    public required int PatternSeed { get; init; }
}
