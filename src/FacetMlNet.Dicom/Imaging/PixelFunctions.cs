namespace FacetMlNet.Dicom.Imaging;

/// <summary>A VOI window: centre and width in modality units (HU for CT).</summary>
/// <param name="Center">Window centre (level).</param>
/// <param name="Width">Window width, ≥ 1.</param>
public readonly record struct VoiWindow(double Center, double Width)
{
    /// <summary>Bone window, W 2000 / L 400 (lumbar CT protocols use W 2000–3000 / L 350–400).</summary>
    public static VoiWindow Bone { get; } = new(400, 2000);

    /// <summary>Soft-tissue window, W 400 / L 40.</summary>
    public static VoiWindow SoftTissue { get; } = new(40, 400);

    /// <summary>The window stored in a data set (first of several), if any.</summary>
    public static VoiWindow? FromDataset(DicomDataset dataset)
    {
        var c = dataset.GetNumbers(DicomTag.WindowCenter);
        var w = dataset.GetNumbers(DicomTag.WindowWidth);
        return c.Length > 0 && w.Length > 0 && w[0] >= 1 ? new VoiWindow(c[0], w[0]) : null;
    }

    /// <summary>A named preset: <c>bone</c> or <c>soft-tissue</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static VoiWindow FromName(string name) => name.ToLowerInvariant() switch
    {
        "bone" => Bone,
        "soft-tissue" or "softtissue" or "soft" => SoftTissue,
        _ => throw new ArgumentException($"Unknown window preset '{name}' (known: bone, soft-tissue).", nameof(name)),
    };
}

/// <summary>Pixel processing as small pure functions, in pydicom's order: stored values → modality LUT → VOI.</summary>
public static class PixelFunctions
{
    /// <summary>Modality LUT by rescale: <c>slope × stored + intercept</c> (HU for CT).</summary>
    public static float[] ApplyModalityLut(ReadOnlySpan<int> stored, double slope = 1, double intercept = 0)
    {
        var result = GC.AllocateUninitializedArray<float>(stored.Length); // every element is written below
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && Math.Abs(slope) < 1 << 20 && Math.Abs(intercept) < 1 << 20)
        {
            // Stored values fit 24 bits, so single precision is exact for the integer part, as in the scalar path.
            var width = System.Numerics.Vector<int>.Count;
            var s = new System.Numerics.Vector<float>((float)slope);
            var b = new System.Numerics.Vector<float>((float)intercept);
            var src = System.Runtime.InteropServices.MemoryMarshal.Cast<int, System.Numerics.Vector<int>>(stored);
            var dst = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(result.AsSpan());
            for (var v = 0; v < src.Length; v++) dst[v] = System.Numerics.Vector.ConvertToSingle(src[v]) * s + b;
            i = src.Length * width;
        }
        for (; i < stored.Length; i++) result[i] = (float)(stored[i] * slope + intercept);
        return result;
    }

    /// <summary>Rescale slope and intercept of a data set, 1 and 0 when absent.</summary>
    public static (double Slope, double Intercept) GetRescale(DicomDataset dataset) =>
        (dataset.GetNumberOrDefault(DicomTag.RescaleSlope, 1), dataset.GetNumberOrDefault(DicomTag.RescaleIntercept, 0));

    /// <summary>
    /// The linear VOI function of PS3.3 C.11.2.1.2.1 mapped to 0–1; MONOCHROME1 (<paramref name="invert"/>) is
    /// inverted after the window, as the standard orders it.
    /// </summary>
    public static float WindowValue(float x, VoiWindow window, bool invert = false)
    {
        var c = window.Center - 0.5;
        var w = Math.Max(window.Width - 1, 1e-6);
        double y = x <= c - w / 2 ? 0 : x > c + w / 2 ? 1 : (x - c) / w + 0.5;
        return (float)(invert ? 1 - y : y);
    }

    /// <summary>Applies <see cref="WindowValue"/> to every value.</summary>
    public static float[] ApplyVoiWindow(ReadOnlySpan<float> values, VoiWindow window, bool invert = false)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = WindowValue(values[i], window, invert);
        return result;
    }
}
