using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic.Readers;

/// <summary>How one simulated radiologist reads: a bias on the latent severity and a per-finding spread.</summary>
/// <param name="Name">Reader name in the labels, e.g. <c>A</c>.</param>
/// <param name="Bias">Added to the severity before rounding; negative under-grades, as radiology tends to.</param>
/// <param name="Spread">Standard deviation of the reading error per finding, in grades.</param>
public sealed record ReaderProfile(string Name, double Bias, IReadOnlyList<double> Spread)
{
    // Spreads chosen so that the readers reproduce the literature (shared/anatomy.md): PABAK ≈ 0.8 for
    // narrowing, erosion and cysts, ≈ 0.6 for osteophytes and hypertrophy; overall weighted κ ≈ 0.6 on CT.
    private static readonly double[] CtSpread = [0.05, 0.36, 0.35, 0.28, 0.4];

    /// <summary>Reader A: slightly under-grades.</summary>
    public static ReaderProfile A { get; } = new("A", -0.12, CtSpread);

    /// <summary>Reader B: unbiased.</summary>
    public static ReaderProfile B { get; } = new("B", 0.08, CtSpread);

    /// <summary>The senior reader who settles disagreements: half the spread.</summary>
    public static ReaderProfile Senior { get; } = new("Senior", 0, [.. CtSpread.Select(s => s / 2)]);
}

/// <summary>Simulates readers A and B and the senior adjudication (the reference standard).</summary>
public static class ReaderSimulator
{
    /// <summary>One reader's grading of a joint from its true severities.</summary>
    public static FacetGrades Read(ReaderProfile reader, IReadOnlyList<double> severity, int seed, string jointKey)
    {
        var rng = SeededRandom.For(seed, "reader", reader.Name, jointKey);
        var grades = new int[severity.Count];
        for (var f = 0; f < severity.Count; f++)
        {
            var max = GradingTarget.Findings[f].GradeCount - 1;
            grades[f] = (int)Math.Clamp(Math.Round(severity[f] + reader.Bias + rng.Gaussian(0, reader.Spread[f]), MidpointRounding.AwayFromZero), 0, max);
        }
        return new FacetGrades(grades);
    }

    /// <summary>
    /// The reference standard: where A and B agree, their grade; where they differ, the senior reader's own reading,
    /// kept within the range the two readers spanned.
    /// </summary>
    public static FacetGrades Adjudicate(FacetGrades a, FacetGrades b, IReadOnlyList<double> severity, int seed, string jointKey)
    {
        var senior = Read(ReaderProfile.Senior, severity, seed, jointKey);
        var grades = new int[severity.Count];
        foreach (var f in Enum.GetValues<Finding>())
        {
            var (lo, hi) = (Math.Min(a[f], b[f]), Math.Max(a[f], b[f]));
            grades[(int)f] = lo == hi ? lo : Math.Clamp(senior[f], lo, hi);
        }
        return new FacetGrades(grades);
    }
}
