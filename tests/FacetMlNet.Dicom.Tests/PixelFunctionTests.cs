using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

public class PixelFunctionTests
{
    [Theory]
    [InlineData(400, 0.5)]      // the centre maps to the middle of the output range
    [InlineData(-600, 0.0)]     // at and below centre − width/2
    [InlineData(1400.5, 1.0)]   // above centre + width/2
    [InlineData(-2000, 0.0)]
    public void Linear_voi_window_follows_ps3_3(float hu, double expected) =>
        Assert.Equal(expected, PixelFunctions.WindowValue(hu, VoiWindow.Bone), 3);

    [Fact]
    public void Monochrome1_is_inverted_after_the_window()
    {
        Assert.Equal(1.0, PixelFunctions.WindowValue(-2000, VoiWindow.Bone, invert: true), 6);
        Assert.Equal(0.0, PixelFunctions.WindowValue(5000, VoiWindow.Bone, invert: true), 6);
    }

    [Fact]
    public void Modality_lut_rescales()
    {
        Assert.Equal([-1024f, 0f, 976f], PixelFunctions.ApplyModalityLut([0, 1024, 2000], 1, -1024));
        Assert.Equal([1.5f, 3.5f], PixelFunctions.ApplyModalityLut([1, 3], 1, 0.5));
        Assert.Equal([2f, 6f], PixelFunctions.ApplyModalityLut([1, 3], 2, 0));
    }

    [Fact]
    public void Window_presets_and_dataset_window()
    {
        Assert.Equal(VoiWindow.Bone, VoiWindow.FromName("bone"));
        Assert.Equal(VoiWindow.SoftTissue, VoiWindow.FromName("soft-tissue"));
        Assert.Throws<ArgumentException>(() => VoiWindow.FromName("lung-ish"));
        var ds = new DicomDataset().AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, 40, 400).AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, 350, 2000);
        Assert.Equal(new VoiWindow(40, 350), VoiWindow.FromDataset(ds));
    }

    [Fact]
    public void Signed_12_bit_stored_values_are_sign_extended_and_high_bits_dropped()
    {
        // 12 bits stored in 16: 0x0FFF is -1, 0x0800 is -2048; garbage in the top 4 bits is ignored.
        ushort[] raw = [0x0FFF, 0x0800, 0xF7FF, 0x0001];
        var bytes = new byte[raw.Length * 2];
        Buffer.BlockCopy(raw, 0, bytes, 0, bytes.Length);
        var ds = DicomRoundTripTests.CtSlice(2, 2)
            .AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 12)
            .AddOrUpdate(DicomTag.HighBit, DicomVR.US, 11)
            .AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, bytes));
        var file = DicomFile.Open(DicomWriter.Encode(ds));
        Assert.Equal([-1, -2048, 2047, 1], DicomPixelData.Create(file).GetStoredValues(0));
    }

    [Fact]
    public void Png_encoder_writes_a_valid_signature_and_chunks()
    {
        var png = PngWriter.Encode([0f, 0.5f, 1f, 0.25f], 2, 2);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
        // CRC of IEND with no data is the well-known AE 42 60 82.
        Assert.Equal(new byte[] { 0xAE, 0x42, 0x60, 0x82 }, png[^4..]);
    }
}

public class PaletteLutTests
{
    private static DicomDataset Palette(int entries, int first, int bits, Func<int, int, int> value)
    {
        var ds = new DicomDataset();
        for (var c = 0; c < 3; c++)
        {
            ds.AddOrUpdate(new DicomTag(0x0028, (ushort)(0x1101 + c)), DicomVR.US, entries, first, bits);
            var bytes = new byte[entries * 2];
            for (var i = 0; i < entries; i++) { var v = value(c, i); bytes[2 * i] = (byte)v; bytes[2 * i + 1] = (byte)(v >> 8); }
            ds.AddOrUpdate(new DicomElement(new DicomTag(0x0028, (ushort)(0x1201 + c)), DicomVR.OW, bytes));
        }
        return ds;
    }

    [Fact]
    public void Indices_map_through_each_channel_and_clamp_outside_the_mapped_range()
    {
        var ds = Palette(4, 10, 16, (c, i) => 1000 * (c + 1) + i);
        var rgb = PixelFunctions.ApplyPaletteLut([10, 12, 5, 99], ds);
        Assert.Equal([1000, 2000, 3000, 1002, 2002, 3002, 1000, 2000, 3000, 1003, 2003, 3003], rgb);
    }

    [Fact]
    public void Eight_bit_entries_in_16_bit_words_keep_the_low_byte()
    {
        var ds = Palette(256, 0, 8, (c, i) => (c == 0 ? i : 255 - i) | 0xAB00);
        var rgb = PixelFunctions.ApplyPaletteLut([0, 255], ds);
        Assert.Equal([0, 255, 255, 255, 0, 0], rgb);
    }

    [Fact]
    public void Missing_lut_is_a_clear_error() =>
        Assert.Contains("descriptor", Assert.Throws<DicomDataException>(() => PixelFunctions.ApplyPaletteLut([0], new DicomDataset())).Message);

    [SkippableFact]
    public void The_corpus_palette_image_maps_to_rgb()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var file = DicomFile.Open(Path.Combine(DicomCorpus.Directory!, "files", "pyd__examples_palette.dcm"));
        var indices = DicomPixelData.Create(file).GetFrameSamples(0);
        var rgb = PixelFunctions.ApplyPaletteLut(indices, file.Dataset);
        Assert.Equal(indices.Length * 3, rgb.Length);
        Assert.True(rgb.Max() > 255, "this palette has 16-bit entries");
    }
}

public class FrameModalityTests
{
    [Theory]
    [InlineData(true, 1.0, -1024.0, 16, 15, false)]
    [InlineData(false, 1.0, -1024.0, 16, 15, false)]
    [InlineData(true, 0.5, 3.25, 16, 15, false)]
    [InlineData(true, 1.0, 0.0, 12, 11, false)]   // sign extension from 12 bits, garbage above
    [InlineData(false, 1.0, 0.0, 12, 11, false)]  // overlay bits above 12 cleared
    [InlineData(false, 2.0, -7.0, 10, 13, false)] // bits 4…13
    [InlineData(true, 1.0, -1024.0, 12, 11, true)] // big-endian words
    [InlineData(false, 2.0, -7.0, 10, 13, true)]
    public void Fast_path_equals_stored_values_through_the_modality_lut(bool signed, double slope, double intercept, int bitsStored, int highBit, bool bigEndian)
    {
        var rng = new Random(2);
        var pixels = Enumerable.Range(0, 37 * 29).Select(_ => (short)rng.Next(short.MinValue, short.MaxValue)).ToArray();
        var ds = DicomRoundTripTests.CtSlice(37, 29, pixels).AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, signed ? 1 : 0)
            .AddOrUpdate(DicomTag.BitsStored, DicomVR.US, bitsStored).AddOrUpdate(DicomTag.HighBit, DicomVR.US, highBit);
        var file = DicomFile.Open(FacetMlNet.Dicom.IO.DicomWriter.Encode(ds), "fast.dcm");
        if (bigEndian)
        {
            // The same words as a big-endian file holds them.
            var swapped = pixels.SelectMany(p => new[] { (byte)(p >> 8), (byte)p }).ToArray();
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, swapped, isBigEndian: true));
            file = new DicomFile(ds, new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.ExplicitVRBigEndian.UID), "fast-be.dcm");
        }
        var data = DicomPixelData.Create(file);
        var expected = PixelFunctions.ApplyModalityLut(data.GetStoredValues(0), slope, intercept);
        Assert.Equal(expected, data.GetFrameModality(0, slope, intercept));
        if (bigEndian)
        {
            var little = DicomPixelData.Create(DicomFile.Open(FacetMlNet.Dicom.IO.DicomWriter.Encode(ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW,
                pixels.SelectMany(p => new[] { (byte)p, (byte)(p >> 8) }).ToArray()))), "fast-le.dcm"));
            Assert.Equal(little.GetFrameModality(0, slope, intercept), data.GetFrameModality(0, slope, intercept));
        }
    }
}
