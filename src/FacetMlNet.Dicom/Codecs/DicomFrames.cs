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
        // Lengths are known without reading deferred fragments; only the fragments of the frame asked for are read.
        var fragments = pixelData.Fragments;
        var lengths = pixelData.FragmentLengths;
        if (fragments.Count == 0) throw new DicomCodecException(file, syntax, "encapsulated pixel data without fragments");

        // Byte offset of each fragment item, counted from the first fragment's item tag (as the offset tables count).
        var starts = new long[fragments.Count];
        for (var i = 1; i < fragments.Count; i++) starts[i] = starts[i - 1] + 8 + lengths[i - 1];

        var eot = dataset.GetItem(ExtendedOffsetTable) as DicomElement;
        var eotLengths = dataset.GetItem(ExtendedOffsetTableLengths) as DicomElement;
        if (eot is { Length: > 0 } && eotLengths is { Length: > 0 })
        {
            if (eot.Length < (frame + 1L) * 8) throw new DicomCodecException(file, syntax, $"the Extended Offset Table has no entry for frame {frame}");
            Span<byte> entry = stackalloc byte[8];
            eot.CopyTo(frame * 8L, entry);
            var offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry);
            var first = Array.IndexOf(starts, offset);
            if (first < 0) throw new DicomCodecException(file, syntax, $"Extended Offset Table entry {offset} of frame {frame} is not at a fragment");
            if (eotLengths.Length < 8) throw new DicomCodecException(file, syntax, "the Extended Offset Table Lengths hold no entry");
            eotLengths.CopyTo(Math.Min(frame, eotLengths.Length / 8 - 1) * 8, entry);
            var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry);
            var end = first;
            for (long taken = 0; end < fragments.Count && taken < length; end++) taken += lengths[end];
            return Concatenate(fragments, lengths, first, end, file, syntax);
        }
        if (pixelData.OffsetTable.Count > 0)
        {
            if (pixelData.OffsetTable.Count < frames) throw new DicomCodecException(file, syntax, $"the Basic Offset Table lists {pixelData.OffsetTable.Count} frames, the data set {frames}");
            var first = Array.IndexOf(starts, (long)pixelData.OffsetTable[frame]);
            if (first < 0) throw new DicomCodecException(file, syntax, $"Basic Offset Table entry {pixelData.OffsetTable[frame]} of frame {frame} is not at a fragment");
            var next = frame + 1 < frames ? Array.IndexOf(starts, (long)pixelData.OffsetTable[frame + 1]) : fragments.Count;
            return Concatenate(fragments, lengths, first, next < 0 ? fragments.Count : next, file, syntax);
        }
        if (fragments.Count == frames) return fragments[frame];
        if (frames == 1) return Concatenate(fragments, lengths, 0, fragments.Count, file, syntax);

        // No table, more fragments than frames: frames begin with a JPEG start-of-image marker.
        var frameStarts = Enumerable.Range(0, fragments.Count).Where(i => lengths[i] >= 2 && fragments[i].Span[..2].SequenceEqual((ReadOnlySpan<byte>)[0xFF, 0xD8])).ToList();
        if (frameStarts.Count != frames)
            throw new DicomCodecException(file, syntax, $"{fragments.Count} fragments, no offset table, and {frameStarts.Count} frame starts for {frames} frames");
        return Concatenate(fragments, lengths, frameStarts[frame], frame + 1 < frames ? frameStarts[frame + 1] : fragments.Count, file, syntax);
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> fragments, IReadOnlyList<long> lengths, int first, int end,
        string? file, DicomTransferSyntax syntax)
    {
        if (end - first == 1) return fragments[first];
        long total = 0;
        for (var i = first; i < end; i++) total += lengths[i];
        if (total > Array.MaxLength) throw new DicomCodecException(file, syntax, $"a frame of {total} compressed bytes is more than one array can hold");
        var buffer = new byte[total];
        var at = 0;
        for (var i = first; i < end; i++)
        {
            fragments[i].Span.CopyTo(buffer.AsSpan(at));
            at += (int)lengths[i];
        }
        return buffer;
    }
}
