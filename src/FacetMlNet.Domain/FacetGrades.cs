namespace FacetMlNet.Domain;

/// <summary>The grades 0–3 of the five findings of one joint by one reader, with the derived overall grade.</summary>
public sealed record FacetGrades
{
    private readonly int[] _grades;

    /// <summary>Creates a grading from the five finding grades, in <see cref="Finding"/> order.</summary>
    /// <exception cref="ArgumentException">Not five grades, or a grade outside 0–3.</exception>
    public FacetGrades(IReadOnlyList<int> findingGrades)
    {
        if (findingGrades.Count != GradingTarget.Findings.Count)
            throw new ArgumentException($"Expected {GradingTarget.Findings.Count} finding grades, got {findingGrades.Count}.", nameof(findingGrades));
        for (var i = 0; i < findingGrades.Count; i++)
            if (findingGrades[i] < 0 || findingGrades[i] >= GradingTarget.Findings[i].GradeCount)
                throw new ArgumentException($"Grade {findingGrades[i]} of {GradingTarget.Findings[i].Name} is outside 0–{GradingTarget.Findings[i].GradeCount - 1}.", nameof(findingGrades));
        _grades = [.. findingGrades];
    }

    /// <summary>The grade of one finding.</summary>
    public int this[Finding finding] => _grades[(int)finding];

    /// <summary>The overall Weishaupt grade, derived by <see cref="Weishaupt.OverallGrade"/>.</summary>
    public int Overall => Weishaupt.OverallGrade(this);

    /// <summary>The grade of a target: a finding's own grade, or the overall grade.</summary>
    public int Of(GradingTarget target) => target.Finding is { } f ? this[f] : Overall;

    /// <summary>The five finding grades in <see cref="Finding"/> order.</summary>
    public IReadOnlyList<int> FindingGrades => _grades;

    /// <inheritdoc />
    public bool Equals(FacetGrades? other) => other is not null && _grades.AsSpan().SequenceEqual(other._grades);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_grades[0], _grades[1], _grades[2], _grades[3], _grades[4]);
}

/// <summary>
/// The Weishaupt et al. (Skeletal Radiol 1999) overall grade: the worst finding drives it ("and/or").
/// Narrowing, osteophytes and hypertrophy map grade for grade; mild erosion is already grade 2 and severe
/// erosion grade 3; any subchondral cyst is grade 3.
/// </summary>
public static class Weishaupt
{
    /// <summary>The overall grade 0–3 of one joint.</summary>
    public static int OverallGrade(FacetGrades g)
    {
        var overall = Math.Max(g[Finding.JointSpaceNarrowing], Math.Max(g[Finding.Osteophytes], g[Finding.Hypertrophy]));
        // Erosion: mild or moderate subarticular erosion ⇒ grade 2, severe ⇒ 3.
        var erosion = g[Finding.Erosion] switch { 0 => 0, 3 => 3, _ => 2 };
        var cysts = g[Finding.SubchondralCysts] > 0 ? 3 : 0;
        return Math.Max(overall, Math.Max(erosion, cysts));
    }
}
