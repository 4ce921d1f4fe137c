using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace FacetMlNet.Dicom;

/// <summary>One entry of a data set: an element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem(DicomTag tag, DicomVR vr)
{
    /// <summary>The tag.</summary>
    public DicomTag Tag { get; } = tag;

    /// <summary>The value representation.</summary>
    public DicomVR VR { get; } = vr;

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>
/// An element whose value is a run of bytes in the file's byte order. The bytes are a slice of the file buffer,
/// never copied until asked for, so a large value costs nothing until used.
/// </summary>
public sealed class DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> buffer, bool isBigEndian = false) : DicomItem(tag, vr)
{
    /// <summary>The raw value bytes as stored (padding included).</summary>
    public ReadOnlyMemory<byte> Buffer { get; } = buffer;

    /// <summary>True when binary values are big-endian.</summary>
    public bool IsBigEndian { get; } = isBigEndian;

    /// <summary>Number of values: backslash-separated strings, or binary units.</summary>
    public int Count =>
        Buffer.IsEmpty ? 0
        : VR.IsString ? (VR.IsBackslashMultiValued ? Buffer.Span.Count((byte)'\\') + 1 : 1)
        : Buffer.Length / VR.UnitSize;

    /// <summary>The whole value as text, trailing padding removed.</summary>
    public string GetText(Encoding encoding) => encoding.GetString(Buffer.Span).TrimEnd('\0', ' ');

    /// <summary>The values as strings (split at backslashes for multi-valued string VRs), each trimmed of padding.</summary>
    public string[] GetStrings(Encoding encoding)
    {
        if (Buffer.IsEmpty) return [];
        if (!VR.IsString) return [.. Enumerable.Range(0, Count).Select(i => GetDouble(i).ToString(CultureInfo.InvariantCulture))];
        var text = encoding.GetString(Buffer.Span);
        var parts = VR.IsBackslashMultiValued ? text.Split('\\') : [text];
        // Leading spaces are significant only for LT/ST/UT; for the other VRs both ends are padding.
        return [.. parts.Select(p => VR == DicomVR.LT || VR == DicomVR.ST || VR == DicomVR.UT ? p.TrimEnd('\0', ' ') : p.Trim('\0', ' '))];
    }

    /// <summary>Value <paramref name="index"/> as a number: decimal/integer strings are parsed, binary VRs read in byte order.</summary>
    /// <exception cref="DicomDataException">Index out of range or the text is not a number.</exception>
    public double GetDouble(int index)
    {
        if (VR.IsString)
        {
            var values = GetStrings(Encoding.ASCII);
            if (index < 0 || index >= values.Length)
                throw new DicomDataException($"{Tag} has {values.Length} value(s); value {index} was asked for.");
            if (double.TryParse(values[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            throw new DicomDataException($"{Tag} value '{values[index]}' is not a number.");
        }
        var size = VR.UnitSize;
        if (index < 0 || (index + 1) * size > Buffer.Length)
            throw new DicomDataException($"{Tag} has {Count} value(s); value {index} was asked for.");
        var s = Buffer.Span.Slice(index * size, size);
        var be = IsBigEndian;
        if (VR == DicomVR.US || VR == DicomVR.OW) return be ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
        if (VR == DicomVR.SS) return be ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s);
        if (VR == DicomVR.UL || VR == DicomVR.OL || VR == DicomVR.AT) return be ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        if (VR == DicomVR.SL) return be ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s);
        if (VR == DicomVR.FL || VR == DicomVR.OF) return be ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s);
        if (VR == DicomVR.FD || VR == DicomVR.OD) return be ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s);
        if (VR == DicomVR.SV) return be ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s);
        if (VR == DicomVR.UV || VR == DicomVR.OV) return be ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
        return s[0];
    }
}

/// <summary>A sequence of nested data sets (VR SQ).</summary>
public sealed class DicomSequence(DicomTag tag, IReadOnlyList<DicomDataset> items) : DicomItem(tag, DicomVR.SQ)
{
    /// <summary>The nested data sets.</summary>
    public IReadOnlyList<DicomDataset> Items { get; } = items;
}

/// <summary>Encapsulated pixel data: the Basic Offset Table and the fragments (PS3.5 §A.4).</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr, IReadOnlyList<uint> offsetTable, IReadOnlyList<ReadOnlyMemory<byte>> fragments)
    : DicomItem(tag, vr)
{
    /// <summary>The Basic Offset Table: byte offsets of each frame's first fragment; empty when absent.</summary>
    public IReadOnlyList<uint> OffsetTable { get; } = offsetTable;

    /// <summary>The fragments after the offset table.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; } = fragments;
}
