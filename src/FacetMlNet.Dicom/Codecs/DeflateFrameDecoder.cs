using System.IO.Compression;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// Deflated Image Frame Compression (DICOM 1.2.840.10008.1.2.8.1, Supplement 244): each frame's native bytes, 1-bit
/// frames as their packed bits from a byte boundary, compressed with Deflate (RFC 1951).
/// </summary>
internal static class DeflateFrameDecoder
{
    public static byte[] Decode(ReadOnlyMemory<byte> frame, int expectedBytes, string? file, DicomTransferSyntax syntax)
    {
        var output = new byte[expectedBytes];
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(frame.ToArray(), writable: false), CompressionMode.Decompress);
            var read = 0;
            while (read < expectedBytes)
            {
                var n = inflater.Read(output, read, expectedBytes - read);
                if (n == 0) throw new DicomCodecException(file, syntax, $"the frame inflates to {read} bytes; the image needs {expectedBytes}");
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DicomCodecException(file, syntax, $"the frame cannot be inflated: {e.Message}", e);
        }
        return output;
    }
}
