namespace FacetMlNet.Dicom.Codecs;

/// <summary>What every decoder returns: native little-endian samples, components pixel-interleaved.</summary>
internal static class CodecOutput
{
    /// <summary>Interleaves component planes into 1- or 2-byte little-endian samples (by Bits Allocated).</summary>
    public static byte[] Interleave(int[][] planes, int bitsAllocated)
    {
        var bytes = bitsAllocated > 8 ? 2 : 1;
        var components = planes.Length;
        var pixels = planes[0].Length;
        var output = new byte[pixels * components * bytes];
        for (var p = 0; p < pixels; p++)
            for (var c = 0; c < components; c++)
            {
                var v = planes[c][p];
                var at = (p * components + c) * bytes;
                output[at] = (byte)v;
                if (bytes == 2) output[at + 1] = (byte)(v >> 8);
            }
        return output;
    }
}
