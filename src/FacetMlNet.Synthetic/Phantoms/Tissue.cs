namespace FacetMlNet.Synthetic.Phantoms;

/// <summary>Tissue classes of the phantom; each contrast maps them to intensities.</summary>
public enum Tissue : byte
{
    /// <summary>Air outside the body.</summary>
    Air,
    /// <summary>Subcutaneous, epidural and intermuscular fat.</summary>
    Fat,
    /// <summary>Paraspinal and psoas muscle.</summary>
    Muscle,
    /// <summary>Capsule, ligament, cartilage.</summary>
    SoftTissue,
    /// <summary>Joint fluid, cerebrospinal fluid, cyst content.</summary>
    Fluid,
    /// <summary>Intervertebral disc.</summary>
    Disc,
    /// <summary>Cancellous (trabecular) bone.</summary>
    Cancellous,
    /// <summary>Cortical bone.</summary>
    Cortical,
    /// <summary>Subchondral sclerosis: dense cortical bone at a degenerate joint surface or a cyst rim.</summary>
    Sclerotic,
    /// <summary>Intra-articular gas (vacuum phenomenon).</summary>
    Gas,
}

/// <summary>Intensity of each tissue for one patient and contrast.</summary>
public sealed class TissueTable
{
    private readonly float[] _values;

    private TissueTable(float[] values) => _values = values;

    /// <summary>Intensity of a tissue.</summary>
    public float this[Tissue t] => _values[(int)t];

    /// <summary>
    /// CT values in HU (shared/anatomy.md): cancellous bone ≈ 226 HU under 30 falling ≈ 2.5 HU/year; cortical
    /// 1000–1500; sclerosis at the top of that range; fluid 0–20; soft tissue 40–60; fat −50 to −100; gas −1000.
    /// </summary>
    public static TissueTable ComputedTomography(double age, double cortical, double fatHu)
    {
        var cancellous = Math.Clamp(226 - 2.5 * Math.Max(0, age - 30), 80, 260);
        return new TissueTable([-1000, (float)fatHu, 48, 55, 12, 85, (float)cancellous, (float)cortical, (float)Math.Min(cortical + 250, 1600), -950]);
    }

    /// <summary>T1-weighted-like MR signal (arbitrary units): fat and fatty marrow bright, cortex, fluid and gas dark.</summary>
    public static TissueTable MagneticResonanceT1(double age)
    {
        var marrow = Math.Clamp(520 + 3.5 * (age - 20), 520, 800); // marrow turns fatty with age
        return new TissueTable([5, 900, 330, 380, 160, 300, (float)marrow, 40, 30, 5]);
    }
}
