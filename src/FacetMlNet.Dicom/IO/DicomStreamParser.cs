using System.Buffers.Binary;
using System.Text;

namespace FacetMlNet.Dicom.IO;

/// <summary>
/// Parses data set elements from a byte buffer. Every length is checked against the bytes that remain, so a
/// lying file ends in a <see cref="DicomFormatException"/>, never an out-of-range read or a huge allocation.
/// </summary>
/// <remarks>
/// With a <see cref="DicomWindow"/> the buffer is a window onto a file (<see cref="DicomFileReader"/>): top-level values
/// above the threshold are left in the file, encapsulated pixel data is handed back to be walked in the file, and an
/// element that runs past the window but not past the file asks for a larger window instead of failing.
/// </remarks>
internal sealed class DicomStreamParser(ReadOnlyMemory<byte> data, string? file, bool explicitVR, bool bigEndian, long baseOffset = 0,
    DicomWindow? window = null)
{
    /// <summary>Nesting deeper than this is a recursion bomb, not a real file.</summary>
    public const int MaxDepth = 64;

    private const uint UndefinedLength = 0xFFFFFFFF;
    private int _pos;

    public int Position => _pos;

    public bool AtEnd => _pos >= data.Length;

    /// <summary>File offset of the top-level element being read (where a larger window must start).</summary>
    public long ElementOffset { get; private set; }

    /// <summary>Set when a deferred value ends past the window: the file offset to go on from.</summary>
    public long? ResumeAt { get; private set; }

    /// <summary>Set when top-level encapsulated pixel data begins: its tag, VR and the file offset of its first item.</summary>
    public (DicomTag Tag, DicomVR VR, long ItemsAt)? PendingFragments { get; private set; }

    /// <summary>True when reading the top-level data set ended because the stop predicate held.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Reads elements until the end of the buffer or <paramref name="stop"/> is true for the next tag.</summary>
    public DicomDataset ReadDataset(DicomDataset into, Func<DicomTag, bool>? stop = null, int depth = 0)
    {
        while (_pos < data.Length && ResumeAt is null && PendingFragments is null)
        {
            if (depth == 0) ElementOffset = baseOffset + _pos;
            if (data.Length - _pos < 4)
                throw EndOfData(null, $"{data.Length - _pos} stray byte(s) at the end of the data set", 4);
            var tag = PeekTag();
            if (stop?.Invoke(tag) == true)
            {
                Stopped = depth == 0; // nested items stop at their delimiter; only the top level ends the data set
                break;
            }
            var item = ReadItem(depth, into);
            if (item is not null) into.AddOrUpdate(item);
        }
        return into;
    }

    private DicomTag PeekTag()
    {
        var s = data.Span.Slice(_pos, 4);
        return bigEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(s), BinaryPrimitives.ReadUInt16BigEndian(s[2..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(s), BinaryPrimitives.ReadUInt16LittleEndian(s[2..]));
    }

    private DicomItem? ReadItem(int depth, DicomDataset parent)
    {
        var start = _pos;
        var tag = PeekTag();
        _pos += 4;
        if (tag.Group == 0xFFFE)
        {
            // Item / delimiter tags have no VR in any syntax; a stray one outside a sequence is skipped with its length.
            var len = ReadUInt32(tag);
            if (len != UndefinedLength) Skip(tag, len);
            return null;
        }

        DicomVR vr;
        uint length;
        if (explicitVR)
        {
            Need(tag, 4);
            var c0 = data.Span[_pos];
            var c1 = data.Span[_pos + 1];
            if (!DicomVR.TryParse(c0, c1, out vr))
            {
                if (c0 is >= (byte)'A' and <= (byte)'Z' && c1 is >= (byte)'A' and <= (byte)'Z')
                {
                    // A well-formed but unknown VR code: read it with a 2-byte length and the dictionary's VR,
                    // as DCMTK does, rather than give up on the whole file.
                    vr = DicomDictionary.LookupVR(tag);
                    _pos += 2;
                    length = ReadUInt16(tag);
                    return MakeValue(tag, vr, length, start, depth, parent);
                }
                // Not letters at all: the writer used implicit VR despite the transfer syntax (pydicom reads such
                // files too). Read this element as implicit: 4-byte length, VR from the dictionary.
                vr = DicomDictionary.LookupVR(tag);
                length = ReadUInt32(tag);
                if (length == UndefinedLength && vr == DicomVR.UN && tag != DicomTag.PixelData) vr = DicomVR.SQ;
                return MakeValue(tag, vr, length, start, depth, parent);
            }
            _pos += 2;
            if (vr.HasLongLength)
            {
                _pos += 2;
                length = ReadUInt32(tag);
            }
            else length = ReadUInt16(tag);
        }
        else
        {
            vr = DicomDictionary.LookupVR(tag);
            length = ReadUInt32(tag);
            if (length == UndefinedLength && vr == DicomVR.UN && tag != DicomTag.PixelData) vr = DicomVR.SQ;
        }
        return MakeValue(tag, vr, length, start, depth, parent);
    }

    private DicomItem? MakeValue(DicomTag tag, DicomVR vr, uint length, int start, int depth, DicomDataset parent)
    {
        if (tag == DicomTag.PixelData && length == UndefinedLength)
        {
            if (window is null || depth > 0) return ReadFragments(tag, vr);
            PendingFragments = (tag, vr, baseOffset + _pos);
            return null;
        }
        if (vr == DicomVR.SQ || (length == UndefinedLength && vr == DicomVR.UN))
        {
            // UN of undefined length is a sequence in Implicit VR Little Endian (PS3.5 §6.2.2).
            if (vr == DicomVR.UN && (explicitVR || bigEndian))
            {
                var inner = new DicomStreamParser(data[_pos..], file, explicitVR: false, bigEndian: false, baseOffset + _pos, window);
                var seq = inner.ReadSequence(tag, UndefinedLength, depth, parent.Encoding);
                _pos += inner._pos;
                return seq;
            }
            return ReadSequence(tag, length, depth, parent.Encoding);
        }
        if (length == UndefinedLength)
            throw Error(tag, $"undefined length on a {vr} element", start);
        // An explicit UN of a tag whose VR is known is read as that VR (PS3.5 §6.2.2, as pydicom does).
        if (vr == DicomVR.UN && DicomDictionary.LookupVR(tag) is var known && known != DicomVR.UN && known != DicomVR.SQ) vr = known;
        if (window is not null && depth == 0 && length >= window.Threshold) return Defer(tag, vr, length);
        Need(tag, length);
        var value = data.Slice(_pos, (int)length);
        _pos += (int)length;
        return new DicomElement(tag, vr, value, bigEndian);
    }

    /// <summary>Leaves a large top-level value in the file and steps over it.</summary>
    private DicomElement Defer(DicomTag tag, DicomVR vr, uint length)
    {
        var at = baseOffset + _pos;
        if (length > window!.Source.Length - at)
            throw Error(tag, $"value length {length} runs past the end of the file ({window.Source.Length - at} byte(s) left)");
        if (length <= data.Length - _pos) _pos += (int)length;
        else ResumeAt = at + length;
        return new DicomElement(tag, vr, window.Source, at, length, bigEndian);
    }

    private DicomSequence ReadSequence(DicomTag tag, uint length, int depth, Encoding encoding)
    {
        if (depth >= MaxDepth) throw Error(tag, $"sequences nested deeper than {MaxDepth}");
        var end = length == UndefinedLength ? data.Length : CheckedEnd(tag, length);
        var items = new List<DicomDataset>();
        while (_pos < end)
        {
            Need(tag, 8);
            var itemTag = PeekTag();
            var itemStart = _pos;
            _pos += 4;
            var itemLength = ReadUInt32(tag);
            if (itemTag == DicomTag.SequenceDelimitationItem) return new DicomSequence(tag, items);
            if (itemTag != DicomTag.Item)
                throw Error(tag, $"expected an item tag in the sequence, found {itemTag}", itemStart);
            var item = new DicomDataset { Encoding = encoding };
            if (itemLength == UndefinedLength)
            {
                ReadDataset(item, t => t == DicomTag.ItemDelimitationItem, depth + 1);
                if (_pos >= data.Length) throw EndOfData(tag, "sequence item without an item delimiter before the end of the file", 8);
                _pos += 4;
                ReadUInt32(tag);
            }
            else
            {
                var itemEnd = CheckedEnd(tag, itemLength);
                var sub = new DicomStreamParser(data[_pos..itemEnd], file, explicitVR, bigEndian, baseOffset + _pos);
                sub.ReadDataset(item, null, depth + 1);
                _pos = itemEnd;
            }
            items.Add(item);
        }
        if (length == UndefinedLength) throw EndOfData(tag, "sequence of undefined length without a delimiter before the end of the file", 8);
        return new DicomSequence(tag, items);
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr)
    {
        var fragments = new List<ReadOnlyMemory<byte>>();
        IReadOnlyList<uint>? offsets = null;
        while (true)
        {
            Need(tag, 8);
            var itemTag = PeekTag();
            var itemStart = _pos;
            _pos += 4;
            var len = ReadUInt32(tag);
            if (itemTag == DicomTag.SequenceDelimitationItem) break;
            if (itemTag != DicomTag.Item) throw Error(tag, $"expected a fragment item in encapsulated pixel data, found {itemTag}", itemStart);
            if (len == UndefinedLength) throw Error(tag, "fragment of undefined length", itemStart);
            Need(tag, len);
            var value = data.Slice(_pos, (int)len);
            _pos += (int)len;
            if (offsets is null)
            {
                var table = new uint[value.Length / 4];
                for (var i = 0; i < table.Length; i++) table[i] = BinaryPrimitives.ReadUInt32LittleEndian(value.Span[(i * 4)..]);
                offsets = table;
            }
            else fragments.Add(value);
        }
        return new DicomFragmentSequence(tag, vr, offsets ?? [], fragments);
    }

    private int CheckedEnd(DicomTag tag, uint length)
    {
        Need(tag, length);
        return _pos + (int)length;
    }

    private void Need(DicomTag? tag, long bytes)
    {
        if (bytes > data.Length - _pos)
            throw EndOfData(tag, $"value length {bytes} runs past the end of the data ({data.Length - _pos} byte(s) left)", bytes);
    }

    /// <summary>
    /// The data ran out <paramref name="bytes"/> short: an error, unless only the window ended and the file goes on, when
    /// the reader is asked for a window reaching at least that far.
    /// </summary>
    private Exception EndOfData(DicomTag? tag, string problem, long bytes)
    {
        var needEnd = baseOffset + _pos + bytes;
        var windowEnd = baseOffset + data.Length;
        if (window is not null && windowEnd < window.Source.Length && (needEnd <= window.Source.Length || bytes <= 8))
            return new DicomWindowExhaustedException(Math.Min(Math.Max(needEnd, windowEnd + 1), window.Source.Length));
        return Error(tag, problem);
    }

    private void Skip(DicomTag tag, uint length)
    {
        Need(tag, length);
        _pos += (int)length;
    }

    private uint ReadUInt32(DicomTag tag)
    {
        Need(tag, 4);
        var s = data.Span.Slice(_pos, 4);
        _pos += 4;
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    private ushort ReadUInt16(DicomTag tag)
    {
        Need(tag, 2);
        var s = data.Span.Slice(_pos, 2);
        _pos += 2;
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    private DicomFormatException Error(DicomTag? tag, string problem, long? at = null) =>
        new(file, tag, baseOffset + (at ?? _pos), problem);
}

/// <summary>The parser's buffer is a window onto a file; values of <paramref name="Threshold"/> bytes or more are left there.</summary>
internal sealed record DicomWindow(DicomFileSource Source, int Threshold);

/// <summary>An element ran past the window but not past the file: read a window reaching to <see cref="NeededEnd"/> and parse again.</summary>
internal sealed class DicomWindowExhaustedException(long neededEnd) : Exception("the read window ended inside an element")
{
    public long NeededEnd { get; } = neededEnd;
}
