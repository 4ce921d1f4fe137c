namespace FacetMlNet.Synthetic;

/// <summary>Image contrast of the synthetic series.</summary>
public enum SyntheticContrast
{
    /// <summary>CT in Hounsfield units (Rescale Intercept −1024).</summary>
    CT,
    /// <summary>T1-weighted-like MR intensities: no HU, fat and marrow bright, cortex and fluid dark.</summary>
    MR,
}

/// <summary>
/// A scanning centre's acquisition habits: what differs between an internal and an external validation cohort.
/// </summary>
/// <param name="Name">Short name written into Institution Name.</param>
/// <param name="Matrix">Rows = columns of each slice: 256 or 512.</param>
/// <param name="PixelSpacingMm">Range of in-plane pixel spacing, mm.</param>
/// <param name="SliceThicknessMm">Range of slice thickness (= spacing), mm.</param>
/// <param name="NoiseSigmaHu">Range of image noise σ, HU.</param>
/// <param name="KernelBlurMm">In-plane blur of the reconstruction kernel (Gaussian σ, mm): small = sharp bone kernel.</param>
/// <param name="Manufacturer">Written into Manufacturer.</param>
public sealed record CentreProfile(string Name, int Matrix, (double Min, double Max) PixelSpacingMm,
    (double Min, double Max) SliceThicknessMm, (double Min, double Max) NoiseSigmaHu, double KernelBlurMm, string Manufacturer)
{
    /// <summary>The default, internal centre: 256² at 0.45–0.65 mm, 1–2 mm slices, bone kernel.</summary>
    public static CentreProfile Internal { get; } = new("CENTRE-A", 256, (0.45, 0.65), (1.0, 2.0), (20, 45), 0.25, "FacetMlNet Phantom CT");

    /// <summary>An external centre: coarser pixels, thicker slices, noisier, softer kernel.</summary>
    public static CentreProfile External { get; } = new("CENTRE-B", 256, (0.6, 0.8), (2.0, 3.0), (35, 60), 0.45, "FacetMlNet Phantom CT B");

    /// <summary>A high-resolution protocol as AJNR suggests: 512², ≈ 0.3 mm pixels, thin slices.</summary>
    public static CentreProfile HighResolution { get; } = new("CENTRE-HR", 512, (0.27, 0.35), (0.6, 1.0), (25, 50), 0.2, "FacetMlNet Phantom CT HR");

    /// <summary>Looks a profile up by name: <c>internal</c>, <c>external</c> or <c>high-resolution</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static CentreProfile FromName(string name) => name.ToLowerInvariant() switch
    {
        "internal" or "a" => Internal,
        "external" or "b" => External,
        "high-resolution" or "hr" => HighResolution,
        _ => throw new ArgumentException($"Unknown centre '{name}' (known: internal, external, high-resolution).", nameof(name)),
    };
}

/// <summary>Settings of the synthetic cohort generator.</summary>
public sealed record SyntheticCohortOptions
{
    /// <summary>Number of patients.</summary>
    public int Patients { get; init; } = 120;

    /// <summary>Seed: the same seed and settings give byte-identical output.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>CT (HU) or MR-like contrast.</summary>
    public SyntheticContrast Contrast { get; init; } = SyntheticContrast.CT;

    /// <summary>
    /// The window the cohort's images are meant to be seen in: the bone window for CT; for MR, whose T1-like intensities
    /// are not HU, one over the phantom's range (fat and marrow near 900, cortex and fluid near 0).
    /// </summary>
    public FacetMlNet.Dicom.Imaging.VoiWindow DisplayWindow =>
        Contrast == SyntheticContrast.MR ? new(450, 900) : FacetMlNet.Dicom.Imaging.VoiWindow.Bone;

    /// <summary>The acquisition centre.</summary>
    public CentreProfile Centre { get; init; } = CentreProfile.Internal;

    /// <summary>Axial slices per level, centred on the facet joints.</summary>
    public int SlicesPerLevel { get; init; } = 5;

    /// <summary>Store CT pixels signed (Pixel Representation 1) rather than unsigned 12-bit.</summary>
    public bool SignedPixels { get; init; } = true;

    /// <summary>Fraction of patients carrying an exclusion flag (spondylolisthesis, fracture, prior surgery, scoliosis).</summary>
    public double ExclusionRate { get; init; } = 0.04;

    /// <summary>Degree of parallelism for rendering; defaults to the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        if (Patients < 1) throw new ArgumentException($"Patients must be at least 1 (got {Patients}).");
        if (SlicesPerLevel < 1 || SlicesPerLevel > 64) throw new ArgumentException($"SlicesPerLevel must be 1–64 (got {SlicesPerLevel}).");
        if (ExclusionRate is < 0 or > 0.5) throw new ArgumentException($"ExclusionRate must be 0–0.5 (got {ExclusionRate}).");
        if (Centre.Matrix is not (256 or 512)) throw new ArgumentException($"Matrix must be 256 or 512 (got {Centre.Matrix}).");
    }
}
