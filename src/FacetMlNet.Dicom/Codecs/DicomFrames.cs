using System.Buffers.Binary;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// Finds the bytes of one frame in encapsulated pixel data: by the Extended Offset Table, else the Basic Offset
/// Table, else one fragment per frame when the counts match, else (one frame) all fragments, else by JPEG start-of-image
/// markers at fragment starts.
/// </summary>
internal static class DicomFrames
{
    private static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);
    private static readonly DicomTag ExtendedOffsetTableLengths = new(0x7FE0, 0x0002);

    public static ReadOnlyMemory<byte> GetFrame(DicomFragmentSequence pixelData, DicomDataset dataset, int frames, int frame, DicomTransferSyntax syntax, string? file)
    {
        var fragments = pixelData.Fragments;
        if (fragments.Count == 0) throw new DicomCodecException(file, syntax, "encapsulated pixel data without fragments");

        // Byte offset of each fragment item, counted from the first fragment's item tag (as the offset tables count).
        var starts = new long[fragments.Count];
        for (var i = 1; i < fragments.Count; i++) starts[i] = starts[i - 1] + 8 + fragments[i - 1].Length;

        var eot = dataset.GetItem(ExtendedOffsetTable) as DicomElement;
        var eotLengths = dataset.GetItem(ExtendedOffsetTableLengths) as DicomElement;
        if (eot is { Buffer.Length: > 0 } && eotLengths is { Buffer.Length: > 0 })
        {
            if (eot.Buffer.Length < (frame + 1) * 8) throw new DicomCodecException(file, syntax, $"the Extended Offset Table has no entry for frame {frame}");
            var offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(eot.Buffer.Span[(frame * 8)..]);
            var first = Array.IndexOf(starts, offset);
            if (first < 0) throw new DicomCodecException(file, syntax, $"Extended Offset Table entry {offset} of frame {frame} is not at a fragment");
            var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(eotLengths.Buffer.Span[(Math.Min(frame, eotLengths.Buffer.Length / 8 - 1) * 8)..]);
            var end = first;
            for (long taken = 0; end < fragments.Count && taken < length; end++) taken += fragments[end].Length;
            return Concatenate(fragments, first, end);
        }
        if (pixelData.OffsetTable.Count > 0)
        {
            if (pixelData.OffsetTable.Count < frames) throw new DicomCodecException(file, syntax, $"the Basic Offset Table lists {pixelData.OffsetTable.Count} frames, the data set {frames}");
            var first = Array.IndexOf(starts, (long)pixelData.OffsetTable[frame]);
            if (first < 0) throw new DicomCodecException(file, syntax, $"Basic Offset Table entry {pixelData.OffsetTable[frame]} of frame {frame} is not at a fragment");
            var next = frame + 1 < frames ? Array.IndexOf(starts, (long)pixelData.OffsetTable[frame + 1]) : fragments.Count;
            return Concatenate(fragments, first, next < 0 ? fragments.Count : next);
        }
        if (fragments.Count == frames) return fragments[frame];
        if (frames == 1) return Concatenate(fragments, 0, fragments.Count);

        // No table, more fragments than frames: frames begin with a JPEG start-of-image marker.
        var frameStarts = Enumerable.Range(0, fragments.Count).Where(i => fragments[i].Length >= 2 && fragments[i].Span[0] == 0xFF && fragments[i].Span[1] == 0xD8).ToList();
        if (frameStarts.Count != frames)
            throw new DicomCodecException(file, syntax, $"{fragments.Count} fragments, no offset table, and {frameStarts.Count} frame starts for {frames} frames");
        return Concatenate(fragments, frameStarts[frame], frame + 1 < frames ? frameStarts[frame + 1] : fragments.Count);
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int first, int end)
    {
        if (end - first == 1) return fragments[first];
        var total = 0;
        for (var i = first; i < end; i++) total += fragments[i].Length;
        var buffer = new byte[total];
        var at = 0;
        for (var i = first; i < end; i++)
        {
            fragments[i].Span.CopyTo(buffer.AsSpan(at));
            at += fragments[i].Length;
        }
        return buffer;
    }
}
