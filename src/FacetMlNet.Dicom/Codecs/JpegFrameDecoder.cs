using JpegLibrary;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// JPEG processes 1, 2/4 (8 and 12 bit) and the retired progressive processes 6/8 and 10/12 through JpegLibrary.
/// Output: native little-endian bytes, components pixel-interleaved, without colour conversion (YBR stays YBR, as
/// pydicom returns it).
/// </summary>
internal static class JpegFrameDecoder
{
    private sealed class Writer(int width, int height, int components, int precision, int bytesPerSample, byte[] output) : JpegBlockOutputWriter
    {
        private readonly int _max = (1 << precision) - 1;
        private readonly int _bytes = bytesPerSample;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            var block = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref blockRef, 64);
            var w = Math.Min(width - x, 8);
            var h = Math.Min(height - y, 8);
            for (var dy = 0; dy < h; dy++)
                for (var dx = 0; dx < w; dx++)
                {
                    // 16-bit lossless samples arrive as short: reinterpret, do not clamp, the upper half of the range.
                    var raw = block[dy * 8 + dx];
                    var v = precision >= 16 ? (ushort)raw : Math.Clamp((int)raw, 0, _max);
                    var at = (((y + dy) * width + x + dx) * components + componentIndex) * _bytes;
                    output[at] = (byte)v;
                    if (_bytes == 2) output[at + 1] = (byte)(v >> 8);
                }
        }
    }

    public static byte[] Decode(ReadOnlyMemory<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated, string? file, DicomTransferSyntax syntax)
    {
        var decoder = new JpegDecoder();
        try
        {
            decoder.SetInput(frame);
            decoder.Identify();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DicomCodecException(file, syntax, $"the JPEG stream cannot be read: {e.Message}", e);
        }
        if (decoder.Width != columns || decoder.Height != rows || decoder.NumberOfComponents != samplesPerPixel)
            throw new DicomCodecException(file, syntax,
                $"the JPEG stream is {decoder.Width} × {decoder.Height} × {decoder.NumberOfComponents}, the data set says {columns} × {rows} × {samplesPerPixel}");
        var bytes = bitsAllocated > 8 ? 2 : 1;
        if (decoder.Precision > 8 && bytes == 1)
            throw new DicomCodecException(file, syntax, $"{decoder.Precision}-bit JPEG in {bitsAllocated}-bit pixels");
        var output = new byte[rows * columns * samplesPerPixel * bytes];
        decoder.SetOutputWriter(new Writer(columns, rows, samplesPerPixel, decoder.Precision, bytes, output));
        try
        {
            decoder.Decode();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DicomCodecException(file, syntax, $"the JPEG stream cannot be decoded: {e.Message}", e);
        }
        return output;
    }
}
