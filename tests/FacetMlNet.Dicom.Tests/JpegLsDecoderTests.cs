using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// JPEG-LS streams written by hand (the corpus conformance test checks 18 real files against pydicom/GDCM and DCMTK):
/// run mode across lines, and the clear refusals.
/// </summary>
public class JpegLsDecoderTests
{
    /// <summary>SOI, SOF55 (8-bit, width × height, one component), optional extra segments, SOS, scan bytes, EOI.</summary>
    private static byte[] Stream(int width, int height, byte[] scan, byte[]? beforeScan = null, bool endOfImage = true) =>
    [
        0xFF, 0xD8,
        0xFF, 0xF7, 0, 11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0,
        .. beforeScan ?? [],
        0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0, 0,
        .. scan,
        .. endOfImage ? new byte[] { 0xFF, 0xD9 } : [],
    ];

    private static DicomPixelData Pixels(byte[] stream, int width, int height, string name = "ls.dcm") =>
        HandWrittenStreams.Pixels(stream, width, height, DicomTransferSyntax.JPEGLSLossless, name);

    [Fact]
    public void A_flat_image_decodes_from_run_mode_with_growing_run_lengths()
    {
        // Line 1: four runs of 2^J[0..3] = 1 sample (bits 1111), the run index climbing to 4; line 2: two runs of
        // 2^J[4] = 2 (bits 11). Then zero padding: 1111 1100.
        Assert.Equal(new int[8], Pixels(Stream(4, 2, [0xFC]), 4, 2).GetStoredValues(0));
    }

    [Fact]
    public void A_stream_that_ends_early_is_a_codec_error_naming_the_file()
    {
        var e = Assert.Throws<DicomCodecException>(() => Pixels(Stream(4, 2, [], endOfImage: false), 4, 2, "cut.dcm").GetStoredValues(0));
        Assert.Contains("cut.dcm", e.Message);
        Assert.Contains("JPEG-LS", e.Message);
    }

    [Fact]
    public void Mapping_tables_and_restart_intervals_are_refused_by_name()
    {
        byte[] mappingTable = [0xFF, 0xF8, 0, 5, 2, 1, 1];
        var table = Assert.Throws<DicomCodecException>(() => Pixels(Stream(4, 2, [0xFC], mappingTable), 4, 2).GetStoredValues(0));
        Assert.Contains("mapping tables", table.Message);
        byte[] restart = [0xFF, 0xDD, 0, 4, 0, 1];
        var interval = Assert.Throws<DicomCodecException>(() => Pixels(Stream(4, 2, [0xFC], restart), 4, 2).GetStoredValues(0));
        Assert.Contains("restart intervals", interval.Message);
    }

    [Fact]
    public void A_frame_that_disagrees_with_the_data_set_is_refused()
    {
        var e = Assert.Throws<DicomCodecException>(() => Pixels(Stream(4, 2, [0xFC]), 2, 4).GetStoredValues(0));
        Assert.Contains("4 × 2 × 1", e.Message);
    }
}
