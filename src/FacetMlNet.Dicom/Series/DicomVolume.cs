using System.Numerics;

namespace FacetMlNet.Dicom.Series;

/// <summary>
/// A stack of parallel slices in modality units (HU for CT), with the geometry that maps voxel indices to
/// patient coordinates in mm (LPS, as DICOM defines them). The stack may be sheared — slice origins stepping off the
/// normal, as a CT acquired with gantry tilt (common in lumbar protocols, tilted along the discs) — and is then mapped
/// along its actual slice step, not the normal.
/// </summary>
public sealed class DicomVolume
{
    /// <summary>Creates a volume; <paramref name="slices"/> are row-major Height × Width planes, ordered along the normal.</summary>
    public DicomVolume(IReadOnlyList<float[]> slices, int width, int height, IReadOnlyList<Vector3> slicePositions,
        Vector3 rowDirection, Vector3 columnDirection, double rowSpacing, double columnSpacing, double sliceThickness)
    {
        if (slices.Count == 0) throw new ArgumentException("A volume needs at least one slice.", nameof(slices));
        if (slices.Count != slicePositions.Count) throw new ArgumentException("One position per slice is required.", nameof(slicePositions));
        foreach (var s in slices)
            if (s.Length != width * height) throw new ArgumentException($"Every slice must hold {width} × {height} values.", nameof(slices));
        Slices = slices;
        Width = width;
        Height = height;
        SlicePositions = slicePositions;
        RowDirection = Vector3.Normalize(rowDirection);
        ColumnDirection = Vector3.Normalize(columnDirection);
        Normal = Vector3.Normalize(Vector3.Cross(RowDirection, ColumnDirection));
        RowSpacing = rowSpacing;
        ColumnSpacing = columnSpacing;
        SliceThickness = sliceThickness;
        SliceStep = slices.Count > 1 ? (slicePositions[^1] - slicePositions[0]) / (slices.Count - 1) : Normal * (float)sliceThickness;
        SliceSpacing = Math.Abs(Vector3.Dot(SliceStep, Normal));
    }

    /// <summary>The planes, row-major, in slice order along <see cref="Normal"/>.</summary>
    public IReadOnlyList<float[]> Slices { get; }

    /// <summary>Columns per slice.</summary>
    public int Width { get; }

    /// <summary>Rows per slice.</summary>
    public int Height { get; }

    /// <summary>Number of slices.</summary>
    public int Depth => Slices.Count;

    /// <summary>Image Position (Patient) of each slice: the centre of its first pixel, mm.</summary>
    public IReadOnlyList<Vector3> SlicePositions { get; }

    /// <summary>Direction in which the column index grows (first triplet of Image Orientation).</summary>
    public Vector3 RowDirection { get; }

    /// <summary>Direction in which the row index grows (second triplet of Image Orientation).</summary>
    public Vector3 ColumnDirection { get; }

    /// <summary>Slice normal, row × column direction.</summary>
    public Vector3 Normal { get; }

    /// <summary>Distance between the centres of adjacent rows, mm (Pixel Spacing[0]).</summary>
    public double RowSpacing { get; }

    /// <summary>Distance between the centres of adjacent columns, mm (Pixel Spacing[1]).</summary>
    public double ColumnSpacing { get; }

    /// <summary>Mean distance between slice centres along the normal, mm.</summary>
    public double SliceSpacing { get; }

    /// <summary>Mean step from one slice's first pixel to the next's, mm: along the normal unless the stack is sheared.</summary>
    public Vector3 SliceStep { get; }

    /// <summary>The angle between the slice step and the normal, degrees: the gantry tilt of a sheared CT stack, else 0.</summary>
    public double ShearDegrees => SliceStep == Vector3.Zero ? 0
        : Math.Acos(Math.Clamp(Math.Abs(Vector3.Dot(Vector3.Normalize(SliceStep), Normal)), 0, 1)) * 180 / Math.PI;

    /// <summary>Nominal slice thickness, mm.</summary>
    public double SliceThickness { get; }

    /// <summary>Continuous voxel coordinates (column, row, slice) of a patient point in mm.</summary>
    public Vector3 PatientToVoxel(Vector3 patient)
    {
        // The slice index from the distance along the normal; the in-plane indices from that slice's own origin.
        var along = Vector3.Dot(SliceStep, Normal);
        var slice = Math.Abs(along) > 1e-6f ? Vector3.Dot(patient - SlicePositions[0], Normal) / along : 0;
        var d = patient - (SlicePositions[0] + SliceStep * slice);
        var column = Vector3.Dot(d, RowDirection) / ColumnSpacing;
        var row = Vector3.Dot(d, ColumnDirection) / RowSpacing;
        return new Vector3((float)column, (float)row, slice);
    }

    /// <summary>The patient point in mm of continuous voxel coordinates (column, row, slice).</summary>
    public Vector3 VoxelToPatient(Vector3 voxel) =>
        SlicePositions[0] + RowDirection * (float)(voxel.X * ColumnSpacing) + ColumnDirection * (float)(voxel.Y * RowSpacing)
        + SliceStep * voxel.Z;

    /// <summary>Bilinear sample of one slice at continuous (column, row); <paramref name="outside"/> beyond the edge.</summary>
    public float Sample(int slice, double column, double row, float outside)
    {
        if (column < 0 || row < 0 || column > Width - 1 || row > Height - 1) return outside;
        var plane = Slices[slice];
        var c0 = (int)column;
        var r0 = (int)row;
        var c1 = Math.Min(c0 + 1, Width - 1);
        var r1 = Math.Min(r0 + 1, Height - 1);
        var fc = (float)(column - c0);
        var fr = (float)(row - r0);
        var top = plane[r0 * Width + c0] * (1 - fc) + plane[r0 * Width + c1] * fc;
        var bottom = plane[r1 * Width + c0] * (1 - fc) + plane[r1 * Width + c1] * fc;
        return top * (1 - fr) + bottom * fr;
    }
}
