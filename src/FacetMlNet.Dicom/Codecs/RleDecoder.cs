using System.Buffers.Binary;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, each segment a PackBits stream of
/// one byte plane (most significant byte first, then sample by sample). Output: native little-endian bytes,
/// samples pixel-interleaved; for 1-bit data (segmentations), the frame's packed bits.
/// </summary>
internal static class RleDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated, string? file)
    {
        var bytesPerSample = Math.Max(1, bitsAllocated / 8);
        // 1-bit frames are run-length coded as their packed bytes, one segment.
        var pixels = bitsAllocated == 1 ? (rows * columns + 7) / 8 : rows * columns;
        if (frame.Length < 64) throw new DicomFormatException(file, DicomTag.PixelData, 0, $"RLE frame of {frame.Length} bytes has no 64-byte header");
        var segments = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);
        var expected = samplesPerPixel * bytesPerSample;
        if (segments != expected)
            throw new DicomFormatException(file, DicomTag.PixelData, 0, $"RLE header lists {segments} segments; {samplesPerPixel} sample(s) of {bitsAllocated} bits need {expected}");
        var output = new byte[pixels * expected];
        for (var s = 0; s < segments; s++)
        {
            var start = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + 4 * s)..]);
            var end = s + 1 < segments ? (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + 4 * s)..]) : frame.Length;
            if (start < 64 || end > frame.Length || start > end)
                throw new DicomFormatException(file, DicomTag.PixelData, 4 + 4 * s, $"RLE segment {s} offsets {start}–{end} lie outside the {frame.Length}-byte frame");
            // Segment s holds byte (bytesPerSample − 1 − s % bytesPerSample) of sample s / bytesPerSample (MSB first).
            var sample = s / bytesPerSample;
            var byteIndex = bytesPerSample - 1 - s % bytesPerSample;
            var stride = expected;
            var offset = sample * bytesPerSample + byteIndex;
            UnpackBits(frame[start..end], output, offset, stride, pixels, file);
        }
        return output;
    }

    private static void UnpackBits(ReadOnlySpan<byte> src, byte[] output, int offset, int stride, int count, string? file)
    {
        var written = 0;
        var i = 0;
        while (written < count && i < src.Length)
        {
            var n = (sbyte)src[i++];
            if (n >= 0)
            {
                var literal = n + 1;
                if (i + literal > src.Length) literal = src.Length - i;
                for (var k = 0; k < literal && written < count; k++) output[offset + stride * written++] = src[i + k];
                i += literal;
            }
            else if (n != -128)
            {
                if (i >= src.Length) break;
                var value = src[i++];
                for (var k = 0; k < 1 - n && written < count; k++) output[offset + stride * written++] = value;
            }
        }
        if (written < count)
            throw new DicomFormatException(file, DicomTag.PixelData, 0, $"RLE segment decodes to {written} of {count} bytes");
    }
}
