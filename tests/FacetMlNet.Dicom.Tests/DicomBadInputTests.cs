using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

public class DicomBadInputTests
{
    /// <summary>Opening and decoding may only fail with the documented exceptions.</summary>
    internal static void OpenAndDecode(byte[] bytes, string name) => OpenAndDecode(() => DicomFile.Open(bytes, name), name);

    /// <summary>The same from a file on disk, read in windows with deferred values.</summary>
    internal static void OpenAndDecode(string path, DicomReadOptions options) => OpenAndDecode(() => DicomFile.Open(path, options), path);

    private static void OpenAndDecode(Func<DicomFile> open, string name)
    {
        try
        {
            var file = open();
            if (file.Dataset.Contains(DicomTag.PixelData)) DicomPixelData.Create(file).GetStoredValues(0);
        }
        catch (Exception e) when (e is DicomFormatException or DicomDataException or DicomCodecException)
        {
            Assert.Contains(name, e.Message);
        }
    }

    [Fact]
    public void Every_truncation_fails_with_a_documented_exception_naming_the_file()
    {
        var bytes = DicomWriter.Encode(DicomRoundTripTests.CtSlice());
        for (var length = 0; length < bytes.Length; length += 7)
            OpenAndDecode(bytes[..length], $"truncated-at-{length}.dcm");
    }

    [Fact]
    public void A_length_past_the_end_names_tag_and_offset()
    {
        var bytes = DicomWriter.Encode(DicomRoundTripTests.CtSlice());
        // Find (0008,0060) Modality and give it an absurd 16-bit length.
        var at = Enumerable.Range(132, bytes.Length - 140).First(i => bytes[i] == 0x08 && bytes[i + 1] == 0 && bytes[i + 2] == 0x60 && bytes[i + 3] == 0 && bytes[i + 4] == (byte)'C');
        bytes[at + 6] = 0xFF;
        bytes[at + 7] = 0xFF;
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open(bytes, "lying.dcm"));
        Assert.Equal(new DicomTag(0x0008, 0x0060), e.Tag);
        Assert.Contains("lying.dcm", e.Message);
        Assert.Contains("65535", e.Message);
    }

    [Fact]
    public void Nested_sequence_bomb_is_refused_not_a_stack_overflow()
    {
        // (0008,1140) SQ of undefined length, an item of undefined length, nested 10,000 times.
        using var s = new MemoryStream();
        s.Write(new byte[128]);
        s.Write("DICM"u8);
        s.Write([0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', 20, 0]);
        s.Write("1.2.840.10008.1.2.1\0"u8);
        for (var i = 0; i < 10_000; i++)
        {
            s.Write([0x08, 0x00, 0x40, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
            s.Write([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        }
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open(s.ToArray(), "bomb.dcm"));
        Assert.Contains("nested deeper", e.Message);
    }

    [Fact]
    public void Random_byte_flips_only_raise_documented_exceptions()
    {
        var original = DicomWriter.Encode(DicomRoundTripTests.CtSlice(16, 16));
        var rng = new Random(1234);
        for (var trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = rng.Next(1, 6); flips > 0; flips--) bytes[rng.Next(128, bytes.Length)] = (byte)rng.Next(256);
            OpenAndDecode(bytes, $"mutant-{trial}.dcm");
        }
    }

    [Fact]
    public void Not_dicom_at_all_is_a_clear_error()
    {
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open("hello"u8.ToArray(), "hello.txt"));
        Assert.Contains("hello.txt", e.Message);
    }

    [Fact]
    public void Compressed_pixel_data_is_refused_with_the_syntax_and_a_transcode_hint()
    {
        var ds = DicomRoundTripTests.CtSlice();
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, [], [new byte[10]]));
        var file = new DicomFile(ds, new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.HTJ2K.UID), "htj2k.dcm");
        var e = Assert.Throws<DicomCodecException>(() => DicomPixelData.Create(file).GetStoredValues(0));
        Assert.Contains("1.2.840.10008.1.2.4.203", e.Message);
        Assert.Contains("gdcmconv --raw", e.Message);
    }
}
