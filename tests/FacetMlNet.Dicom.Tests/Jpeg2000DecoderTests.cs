using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// JPEG 2000 codestreams written by hand (the corpus conformance test checks 20 real files against pydicom/GDCM): the
/// main header, a tile, an empty packet; and the clear refusals.
/// </summary>
public class Jpeg2000DecoderTests
{
    /// <summary>
    /// A 4 × 4, 8-bit unsigned, one-tile codestream without wavelet levels whose only packet is empty: every coefficient
    /// is zero, so every sample is the DC level shift, 128. <paramref name="extra"/> goes into the main header.
    /// </summary>
    private static byte[] Codestream(byte[]? extra = null, bool complete = true)
    {
        byte[] siz = [0xFF, 0x51, 0, 41, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 1, 1];
        byte[] cod = [0xFF, 0x52, 0, 12, 0, 0, 0, 1, 0, 0, 4, 4, 0, 1];           // LRCP, 1 layer, no MCT; 0 levels, 64 × 64 blocks, 5/3
        byte[] qcd = [0xFF, 0x5C, 0, 4, 0x40, 8 << 3];                               // no quantisation, 2 guard bits, exponent 8
        byte[] tile = [0xFF, 0x90, 0, 10, 0, 0, 0, 0, 0, 15, 0, 1, 0xFF, 0x93, 0x00]; // SOT (15 bytes to the end), SOD, an empty packet
        return [0xFF, 0x4F, .. siz, .. cod, .. qcd, .. extra ?? [], .. complete ? tile : tile[..12], 0xFF, 0xD9];
    }

    private static DicomPixelData Pixels(byte[] codestream, string name = "j2k.dcm") =>
        HandWrittenStreams.Pixels(codestream, 4, 4, DicomTransferSyntax.JPEG2000Lossless, name);

    [Fact]
    public void An_empty_packet_decodes_to_the_dc_level()
    {
        Assert.Equal(Enumerable.Repeat(128, 16), Pixels(Codestream()).GetStoredValues(0));
    }

    [Fact]
    public void A_codestream_in_a_jp2_file_is_unwrapped()
    {
        var codestream = Codestream();
        byte[] signature = [0, 0, 0, 12, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];
        var length = 8 + codestream.Length;
        byte[] box = [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0x6A, 0x70, 0x32, 0x63, .. codestream];
        Assert.Equal(Enumerable.Repeat(128, 16), Pixels([.. signature, .. box]).GetStoredValues(0));
    }

    [Fact]
    public void Progression_order_changes_and_regions_of_interest_are_refused_by_name()
    {
        byte[] poc = [0xFF, 0x5F, 0, 9, 0, 0, 0, 1, 1, 1, 0];
        Assert.Contains("(POC)", Assert.Throws<DicomCodecException>(() => Pixels(Codestream(poc)).GetStoredValues(0)).Message);
        byte[] rgn = [0xFF, 0x5E, 0, 5, 0, 0, 4];
        Assert.Contains("(RGN)", Assert.Throws<DicomCodecException>(() => Pixels(Codestream(rgn)).GetStoredValues(0)).Message);
    }

    [Fact]
    public void A_tile_cut_short_is_a_codec_error_naming_the_file()
    {
        var e = Assert.Throws<DicomCodecException>(() => Pixels(Codestream(complete: false), "cut.dcm").GetStoredValues(0));
        Assert.Contains("cut.dcm", e.Message);
        Assert.Contains("JPEG 2000", e.Message);
    }
}
