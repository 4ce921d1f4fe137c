namespace FacetMlNet.Domain;

/// <summary>The five graded findings of facet-joint degeneration: one model head each.</summary>
public enum Finding
{
    /// <summary>Joint space narrowing (normal width 2–4 mm).</summary>
    JointSpaceNarrowing,
    /// <summary>Hypertrophy of the articular process.</summary>
    Hypertrophy,
    /// <summary>Osteophytes at the joint margins.</summary>
    Osteophytes,
    /// <summary>Articular-surface (subchondral) erosion.</summary>
    Erosion,
    /// <summary>Subchondral cysts.</summary>
    SubchondralCysts,
}

/// <summary>A target the model predicts: one of the five findings, or the overall Weishaupt grade.</summary>
/// <param name="Name">Column-safe name used in files, e.g. <c>Osteophytes</c> or <c>Overall</c>.</param>
/// <param name="GradeCount">Number of ordinal grades, 0 … GradeCount − 1.</param>
/// <param name="Finding">The finding, or null for the overall grade.</param>
public sealed record GradingTarget(string Name, int GradeCount, Finding? Finding)
{
    /// <summary>The overall Weishaupt grade 0–3.</summary>
    public static GradingTarget Overall { get; } = new("Overall", 4, null);

    /// <summary>
    /// The five findings, graded 0 none … 3 severe; subchondral cysts are graded present (1) or absent (0), since any
    /// cyst already makes the joint Weishaupt grade 3.
    /// </summary>
    public static IReadOnlyList<GradingTarget> Findings { get; } =
        [.. Enum.GetValues<Finding>().Select(f => new GradingTarget(f.ToString(), f == Domain.Finding.SubchondralCysts ? 2 : 4, f))];

    /// <summary>The five findings followed by the overall grade.</summary>
    public static IReadOnlyList<GradingTarget> All { get; } = [.. Findings, Overall];

    /// <summary>Looks a target up by <see cref="Name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public static GradingTarget Parse(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown grading target '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    /// <inheritdoc />
    public override string ToString() => Name;
}
