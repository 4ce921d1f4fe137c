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

    /// <summary>The window stored for a frame (first of several), if any: from its functional groups (Frame VOI LUT), else the data set.</summary>
    public static VoiWindow? FromDataset(DicomDataset dataset, int frame = 0)
    {
        var c = dataset.GetFrameNumbers(DicomTag.WindowCenter, frame);
        var w = dataset.GetFrameNumbers(DicomTag.WindowWidth, frame);
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
        ApplyModalityLut(stored, result, slope, intercept);
        return result;
    }

    /// <summary>Modality LUT by rescale into <paramref name="result"/>, which must be as long as <paramref name="stored"/>.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void ApplyModalityLut(ReadOnlySpan<int> stored, Span<float> result, double slope = 1, double intercept = 0)
    {
        if (result.Length != stored.Length)
            throw new ArgumentException($"{result.Length} destination values for {stored.Length} stored values.", nameof(result));
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && Math.Abs(slope) < 1 << 20 && Math.Abs(intercept) < 1 << 20)
        {
            // Stored values fit 24 bits, so single precision is exact for the integer part, as in the scalar path.
            var width = System.Numerics.Vector<int>.Count;
            var s = new System.Numerics.Vector<float>((float)slope);
            var b = new System.Numerics.Vector<float>((float)intercept);
            var src = System.Runtime.InteropServices.MemoryMarshal.Cast<int, System.Numerics.Vector<int>>(stored);
            var dst = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(result);
            for (var v = 0; v < src.Length; v++) dst[v] = System.Numerics.Vector.ConvertToSingle(src[v]) * s + b;
            i = src.Length * width;
        }
        for (; i < stored.Length; i++) result[i] = (float)(stored[i] * slope + intercept);
    }

    /// <summary>
    /// Rescale slope and intercept of a frame, 1 and 0 when absent: from the frame's functional groups (Pixel Value
    /// Transformation, in Enhanced CT/MR), else the top level of the data set.
    /// </summary>
    public static (double Slope, double Intercept) GetRescale(DicomDataset dataset, int frame = 0) =>
        (dataset.GetFrameNumbers(DicomTag.RescaleSlope, frame) is [var slope, ..] ? slope : 1,
         dataset.GetFrameNumbers(DicomTag.RescaleIntercept, frame) is [var intercept, ..] ? intercept : 0);

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

    /// <summary>
    /// PALETTE COLOR: maps stored indices to RGB through the red, green and blue palette LUTs of the data set
    /// (descriptors (0028,1101–1103), data (0028,1201–1203)), as pydicom's <c>apply_color_lut</c>: indices below the first
    /// mapped value take the first entry, above the last take the last. Returns R, G, B interleaved, in the LUT's bits.
    /// </summary>
    /// <exception cref="DicomDataException">Missing or inconsistent LUTs, or a segmented palette (not supported).</exception>
    public static int[] ApplyPaletteLut(ReadOnlySpan<int> indices, DicomDataset dataset)
    {
        if (dataset.Contains(new DicomTag(0x0028, 0x1221)))
            throw new DicomDataException("Segmented palette colour LUTs are not supported; use the standard LUT data.");
        var luts = new int[3][];
        var firsts = new int[3];
        for (var c = 0; c < 3; c++)
        {
            var descriptor = dataset.GetNumbers(new DicomTag(0x0028, (ushort)(0x1101 + c)));
            if (descriptor.Length != 3) throw new DicomDataException($"Palette colour LUT descriptor (0028,{0x1101 + c:X4}) is missing or not 3 values.");
            var entries = descriptor[0] == 0 ? 65536 : (int)descriptor[0];
            firsts[c] = (int)descriptor[1];
            var bits = (int)descriptor[2];
            if (dataset.GetItem(new DicomTag(0x0028, (ushort)(0x1201 + c))) is not DicomElement data)
                throw new DicomDataException($"Palette colour LUT data (0028,{0x1201 + c:X4}) is missing.");
            var span = data.Buffer.Span;
            // 8-bit entries may be packed two per 16-bit word; 16-bit entries one per word.
            var packed8 = bits == 8 && span.Length == entries;
            if (!packed8 && span.Length < entries * 2)
                throw new DicomDataException($"Palette colour LUT (0028,{0x1201 + c:X4}) holds {span.Length} bytes for {entries} entries.");
            var lut = new int[entries];
            for (var i = 0; i < entries; i++)
            {
                int word = packed8 ? span[i] : data.IsBigEndian ? span[2 * i] << 8 | span[2 * i + 1] : span[2 * i] | span[2 * i + 1] << 8;
                lut[i] = bits == 8 && !packed8 ? word & 0xFF : word;
            }
            luts[c] = lut;
        }
        var rgb = new int[indices.Length * 3];
        for (var i = 0; i < indices.Length; i++)
            for (var c = 0; c < 3; c++)
            {
                var lut = luts[c];
                rgb[3 * i + c] = lut[Math.Clamp(indices[i] - firsts[c], 0, lut.Length - 1)];
            }
        return rgb;
    }
}
