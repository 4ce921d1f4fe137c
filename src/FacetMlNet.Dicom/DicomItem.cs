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
/// An element whose value is a run of bytes in the file's byte order. Read at once, the bytes are a slice of the buffer
/// the file was parsed from; a large value opened from a file with <see cref="DicomReadOptions.LargeValueThreshold"/>
/// is read from the file when used (<see cref="IsDeferred"/>), and <see cref="CopyTo"/> reads only the range asked for.
/// </summary>
public sealed class DicomElement : DicomItem
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private readonly IO.DicomFileSource? _source;
    private readonly long _offset;

    /// <summary>Creates an element over bytes in the given byte order.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> buffer, bool isBigEndian = false) : base(tag, vr)
    {
        _buffer = buffer;
        Length = buffer.Length;
        IsBigEndian = isBigEndian;
    }

    /// <summary>A value left in the file: <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    internal DicomElement(DicomTag tag, DicomVR vr, IO.DicomFileSource source, long offset, long length, bool isBigEndian) : base(tag, vr)
    {
        _source = source;
        _offset = offset;
        Length = length;
        IsBigEndian = isBigEndian;
    }

    /// <summary>
    /// The raw value bytes as stored (padding included). For a deferred value every access reads the file: keep the
    /// result, or use <see cref="CopyTo"/> for a part.
    /// </summary>
    /// <exception cref="DicomFormatException">A deferred value cannot be read: the file is gone, shorter, or changed.</exception>
    /// <exception cref="DicomDataException">A deferred value is too large for one array; read it in parts with <see cref="CopyTo"/>.</exception>
    public ReadOnlyMemory<byte> Buffer
    {
        get
        {
            if (_source is null) return _buffer;
            if (Length > Array.MaxLength)
                throw new DicomDataException($"{_source.Path}: {Tag} holds {Length} bytes, more than one array can; read it in parts with CopyTo.");
            var bytes = GC.AllocateUninitializedArray<byte>((int)Length);
            _source.Read(_offset, bytes, Tag);
            return bytes;
        }
    }

    /// <summary>Length of the value in bytes, known without reading a deferred value.</summary>
    public long Length { get; }

    /// <summary>True when the value stays in the file until used.</summary>
    public bool IsDeferred => _source is not null;

    /// <summary>True when binary values are big-endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>Copies the value's bytes from <paramref name="offset"/> into <paramref name="destination"/> (its whole length).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the value.</exception>
    /// <exception cref="DicomFormatException">A deferred value cannot be read: the file is gone, shorter, or changed.</exception>
    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Tag}: bytes {offset}–{offset + destination.Length} of a {Length}-byte value.");
        if (_source is null) _buffer.Span.Slice((int)offset, destination.Length).CopyTo(destination);
        else _source.Read(_offset + offset, destination, Tag);
    }

    /// <summary>Number of values: backslash-separated strings, or binary units.</summary>
    public int Count =>
        Length == 0 ? 0
        : VR.IsString ? (VR.IsBackslashMultiValued ? Buffer.Span.Count((byte)'\\') + 1 : 1)
        : (int)Math.Min(int.MaxValue, Length / VR.UnitSize);

    /// <summary>The whole value as text, trailing padding removed.</summary>
    public string GetText(Encoding encoding) => encoding.GetString(Buffer.Span).TrimEnd('\0', ' ');

    /// <summary>The values as strings (split at backslashes for multi-valued string VRs), each trimmed of padding.</summary>
    public string[] GetStrings(Encoding encoding)
    {
        if (Length == 0) return [];
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
        if (index < 0 || (index + 1L) * size > Length)
            throw new DicomDataException($"{Tag} has {Count} value(s); value {index} was asked for.");
        Span<byte> unit = stackalloc byte[size];
        CopyTo((long)index * size, unit); // one unit, without reading the rest of a deferred value
        return DecodeUnit(unit);
    }

    /// <summary>
    /// Every binary value as a number, the value read once (a deferred value is not read again per value).
    /// </summary>
    internal double[] GetBinaryDoubles()
    {
        var bytes = Buffer.Span;
        var size = VR.UnitSize;
        var values = new double[bytes.Length / size];
        for (var i = 0; i < values.Length; i++) values[i] = DecodeUnit(bytes.Slice(i * size, size));
        return values;
    }

    private double DecodeUnit(ReadOnlySpan<byte> s)
    {
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
public sealed class DicomFragmentSequence : DicomItem
{
    /// <summary>Creates encapsulated pixel data from an offset table and fragments in memory.</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, IReadOnlyList<uint> offsetTable, IReadOnlyList<ReadOnlyMemory<byte>> fragments)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = fragments;
        FragmentLengths = [.. fragments.Select(f => (long)f.Length)];
    }

    /// <summary>Fragments left in the file, each read when used.</summary>
    internal DicomFragmentSequence(DicomTag tag, DicomVR vr, IReadOnlyList<uint> offsetTable, IO.DicomFileSource source,
        IReadOnlyList<long> offsets, IReadOnlyList<long> lengths)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = new DeferredFragments(source, offsets, lengths, tag);
        FragmentLengths = lengths;
    }

    /// <summary>The Basic Offset Table: byte offsets of each frame's first fragment; empty when absent.</summary>
    public IReadOnlyList<uint> OffsetTable { get; }

    /// <summary>
    /// The fragments after the offset table. When the file was opened with deferred large values, each access to a
    /// fragment reads it from the file.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; }

    /// <summary>The length of each fragment in bytes, known without reading deferred fragments.</summary>
    public IReadOnlyList<long> FragmentLengths { get; }

    /// <summary>True when the fragments stay in the file until used.</summary>
    public bool IsDeferred => Fragments is DeferredFragments;

    private sealed class DeferredFragments(IO.DicomFileSource source, IReadOnlyList<long> offsets, IReadOnlyList<long> lengths, DicomTag tag)
        : IReadOnlyList<ReadOnlyMemory<byte>>
    {
        public int Count => offsets.Count;

        public ReadOnlyMemory<byte> this[int index]
        {
            get
            {
                if (lengths[index] > Array.MaxLength)
                    throw new DicomDataException($"{source.Path}: fragment {index} of {tag} holds {lengths[index]} bytes, more than one array can.");
                var bytes = GC.AllocateUninitializedArray<byte>((int)lengths[index]);
                source.Read(offsets[index], bytes, tag);
                return bytes;
            }
        }

        public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
