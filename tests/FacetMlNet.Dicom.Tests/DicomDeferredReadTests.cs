using System.Buffers.Binary;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// Large values read on demand (<see cref="DicomReadOptions"/>): the same data set and pixels as reading the whole file,
/// only the part asked for read, and a clear error when the file changed or went away in between.
/// </summary>
public sealed class DicomDeferredReadTests : IDisposable
{
    /// <summary>Defers almost everything and starts from a tiny window, so every window and deferral path runs.</summary>
    internal static readonly DicomReadOptions Tiny = new() { LargeValueThreshold = 16, FirstReadSize = 64 };

    private readonly string _dir = Directory.CreateTempSubdirectory("facetml-deferred-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static short[] Ramp(int n) => [.. Enumerable.Range(0, n).Select(i => (short)(i % 3000 - 1024))];

    [Fact]
    public void Pixel_data_of_a_slice_stays_in_the_file_and_decodes_as_when_read_whole()
    {
        var path = Write("slice.dcm", DicomWriter.Encode(DicomRoundTripTests.CtSlice(256, 256, Ramp(256 * 256))));

        var lazy = DicomFile.Open(path);
        var pixelData = Assert.IsType<DicomElement>(lazy.Dataset.GetItem(DicomTag.PixelData));
        Assert.True(pixelData.IsDeferred);
        Assert.Equal(256 * 256 * 2, pixelData.Length);
        Assert.False(Assert.IsType<DicomElement>(lazy.Dataset.GetItem(DicomTag.Rows)).IsDeferred);

        var whole = DicomFile.Open(path, DicomReadOptions.ReadAll);
        Assert.False(((DicomElement)whole.Dataset.GetItem(DicomTag.PixelData)!).IsDeferred);
        AssertSameDataset(whole.Dataset, lazy.Dataset);
        var expected = DicomPixelData.Create(whole).GetFrameModality(0, 1, -1024);
        Assert.Equal(expected, DicomPixelData.Create(lazy).GetFrameModality(0, 1, -1024));
        Assert.Equal(expected[..10], Ramp(10).Select(v => (float)(v - 1024)));
    }

    [Fact]
    public void A_part_of_a_deferred_value_is_read_alone()
    {
        var path = Write("slice.dcm", DicomWriter.Encode(DicomRoundTripTests.CtSlice(128, 128, Ramp(128 * 128))));
        var element = (DicomElement)DicomFile.Open(path, Tiny).Dataset.GetItem(DicomTag.PixelData)!;
        var part = new byte[6];
        element.CopyTo(2000, part);
        Assert.Equal(Ramp(1003)[1000..], Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadInt16LittleEndian(part.AsSpan(i * 2))));
        Assert.Throws<ArgumentOutOfRangeException>(() => element.CopyTo(element.Length - 2, part));
    }

    [Fact]
    public void Numbers_of_a_deferred_binary_value_decode_as_when_read_whole()
    {
        var floats = Enumerable.Range(0, 20_000).Select(i => i * 0.5f - 100).ToArray();
        var tag = new DicomTag(0x0029, 0x1020);
        var ds = DicomRoundTripTests.CtSlice(16, 16).AddOrUpdate(new DicomElement(tag, DicomVR.OF, floats.SelectMany(BitConverter.GetBytes).ToArray()));
        var path = Write("floats.dcm", DicomWriter.Encode(ds));
        var lazy = DicomFile.Open(path);
        Assert.True(((DicomElement)lazy.Dataset.GetItem(tag)!).IsDeferred);
        Assert.Equal(floats.Select(f => (double)f), lazy.Dataset.GetNumbers(tag));
        Assert.Equal(floats[12_345], ((DicomElement)lazy.Dataset.GetItem(tag)!).GetDouble(12_345));
    }

    [Fact]
    public void A_file_rewritten_after_opening_is_an_error_naming_it_not_other_pixels()
    {
        var path = Write("changing.dcm", DicomWriter.Encode(DicomRoundTripTests.CtSlice(256, 256, Ramp(256 * 256))));
        var pixels = DicomPixelData.Create(DicomFile.Open(path));
        File.WriteAllBytes(path, DicomWriter.Encode(DicomRoundTripTests.CtSlice(256, 258, Ramp(256 * 258))));
        var e = Assert.Throws<DicomFormatException>(() => pixels.GetStoredValues(0));
        Assert.Contains("changing.dcm", e.Message);
        Assert.Contains("changed since it was opened", e.Message);
        Assert.Equal(DicomTag.PixelData, e.Tag);

        File.Delete(path);
        var gone = Assert.Throws<DicomFormatException>(() => pixels.GetStoredValues(0));
        Assert.Contains("changing.dcm", gone.Message);
    }

    [Fact]
    public void A_header_longer_than_the_first_read_grows_the_window()
    {
        // 40 KiB of private bytes before Pixel Data: below the 64 KiB threshold, so read, but past the first 16 KiB window.
        var ds = DicomRoundTripTests.CtSlice(128, 128, Ramp(128 * 128))
            .AddOrUpdate(new DicomElement(new DicomTag(0x0029, 0x1010), DicomVR.OB, Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray()));
        var path = Write("long-header.dcm", DicomWriter.Encode(ds));
        var lazy = DicomFile.Open(path);
        var whole = DicomFile.Open(path, DicomReadOptions.ReadAll);
        Assert.False(((DicomElement)lazy.Dataset.GetItem(new DicomTag(0x0029, 0x1010))!).IsDeferred);
        AssertSameDataset(whole.Dataset, lazy.Dataset);
        AssertSameDataset(whole.Dataset, DicomFile.Open(path, Tiny).Dataset);
    }

    [Fact]
    public void Values_inside_sequences_are_read_at_once_and_elements_after_pixel_data_are_kept()
    {
        var nested = new DicomDataset().AddOrUpdate(new DicomElement(new DicomTag(0x0029, 0x1010), DicomVR.OB, new byte[1000]));
        var ds = DicomRoundTripTests.CtSlice(64, 64, Ramp(64 * 64))
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140), [nested]))
            .AddOrUpdate(new DicomElement(new DicomTag(0xFFFC, 0xFFFC), DicomVR.OB, new byte[40])); // Data Set Trailing Padding
        var path = Write("nested.dcm", DicomWriter.Encode(ds));
        var lazy = DicomFile.Open(path, Tiny);
        var item = Assert.Single(lazy.Dataset.GetSequence(new DicomTag(0x0008, 0x1140)));
        Assert.False(((DicomElement)item.GetItem(new DicomTag(0x0029, 0x1010))!).IsDeferred);
        Assert.True(((DicomElement)lazy.Dataset.GetItem(new DicomTag(0xFFFC, 0xFFFC))!).IsDeferred);
        AssertSameDataset(DicomFile.Open(path, DicomReadOptions.ReadAll).Dataset, lazy.Dataset);
    }

    [Fact]
    public void Encapsulated_fragments_are_located_in_the_file_and_read_per_frame()
    {
        var path = Write("rle.dcm", EncodeEncapsulated(EncapsulatedFramesTests.TwoFrameRle(extendedOffsetTable: true)));
        var lazy = DicomFile.Open(path, Tiny);
        Assert.Equal(DicomTransferSyntax.RLELossless, lazy.TransferSyntax);
        var fragments = Assert.IsType<DicomFragmentSequence>(lazy.Dataset.GetItem(DicomTag.PixelData));
        Assert.True(fragments.IsDeferred);
        Assert.Equal(4, fragments.FragmentLengths.Count);
        var pixels = DicomPixelData.Create(lazy);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 1000), pixels.GetFrameSamples(0));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => 65535 - i), pixels.GetFrameSamples(1));
        AssertSameDataset(DicomFile.Open(path, DicomReadOptions.ReadAll).Dataset, lazy.Dataset);
    }

    [Fact]
    public void A_fragment_running_past_the_end_of_the_file_names_file_tag_and_offset()
    {
        var bytes = EncodeEncapsulated(EncapsulatedFramesTests.TwoFrameRle(extendedOffsetTable: false));
        var path = Write("cut.dcm", bytes[..^30]);
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path, Tiny));
        Assert.Contains("cut.dcm", e.Message);
        Assert.Equal(DicomTag.PixelData, e.Tag);
        Assert.InRange(e.Offset, bytes.Length - 200, bytes.Length);
        // Reading it whole fails alike: the same file is as broken either way.
        Assert.Throws<DicomFormatException>(() => DicomFile.Open(path, DicomReadOptions.ReadAll));
    }

    [Fact]
    public void The_threshold_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomReadOptions { LargeValueThreshold = 0 });
    }

    /// <summary>
    /// Every corpus file read three ways — whole, with the default deferral, and with tiny windows and threshold — gives
    /// the same data set, the same frame 0, or the same kind of refusal.
    /// </summary>
    [SkippableFact]
    public void Corpus_files_read_the_same_whole_deferred_and_in_tiny_windows()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var compared = 0;
        foreach (var path in DicomCorpus.Entries().Select(DicomCorpus.PathOf))
        {
            var whole = Outcome(path, DicomReadOptions.ReadAll);
            foreach (var options in new[] { DicomReadOptions.Default, Tiny })
            {
                var other = Outcome(path, options);
                Assert.True(whole.Error?.GetType() == other.Error?.GetType(),
                    $"{path}: whole read gave {whole.Error?.Message ?? "success"}, deferred ({options.LargeValueThreshold}) {other.Error?.Message ?? "success"}");
                if (whole.File is null) continue;
                Assert.Equal(whole.File.TransferSyntax, other.File!.TransferSyntax);
                AssertSameDataset(whole.File.FileMetaInfo, other.File.FileMetaInfo);
                AssertSameDataset(whole.File.Dataset, other.File.Dataset);
                Assert.Equal(whole.Frame0Error?.GetType(), other.Frame0Error?.GetType());
                Assert.Equal(whole.Frame0, other.Frame0);
                compared++;
            }
        }
        Assert.True(compared > 200, $"only {compared} comparisons");
    }

    private sealed record ReadOutcome(DicomFile? File, Exception? Error, int[]? Frame0, Exception? Frame0Error);

    private static ReadOutcome Outcome(string path, DicomReadOptions options)
    {
        DicomFile file;
        try { file = DicomFile.Open(path, options); }
        catch (DicomFormatException e) { return new(null, e, null, null); }
        if (!file.Dataset.Contains(DicomTag.PixelData)) return new(file, null, null, null);
        try { return new(file, null, DicomPixelData.Create(file).GetFrameSamples(0), null); }
        catch (Exception e) when (e is DicomDataException or DicomCodecException or DicomFormatException) { return new(file, null, null, e); }
    }

    internal static void AssertSameDataset(DicomDataset expected, DicomDataset actual)
    {
        Assert.Equal(expected.Select(i => i.Tag), actual.Select(i => i.Tag));
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.VR, a.VR);
            switch (e)
            {
                case DicomElement ee:
                    var ae = Assert.IsType<DicomElement>(a);
                    Assert.Equal(ee.IsBigEndian, ae.IsBigEndian);
                    Assert.Equal(ee.Length, ae.Length);
                    Assert.True(ee.Buffer.Span.SequenceEqual(ae.Buffer.Span), $"{e.Tag} differs");
                    break;
                case DicomSequence es:
                    var @as = Assert.IsType<DicomSequence>(a);
                    Assert.Equal(es.Items.Count, @as.Items.Count);
                    foreach (var (ei, ai) in es.Items.Zip(@as.Items)) AssertSameDataset(ei, ai);
                    break;
                case DicomFragmentSequence ef:
                    var af = Assert.IsType<DicomFragmentSequence>(a);
                    Assert.Equal(ef.OffsetTable, af.OffsetTable);
                    Assert.Equal(ef.FragmentLengths, af.FragmentLengths);
                    for (var i = 0; i < ef.Fragments.Count; i++) Assert.True(ef.Fragments[i].Span.SequenceEqual(af.Fragments[i].Span), $"fragment {i} differs");
                    break;
            }
        }
    }

    /// <summary>
    /// The writer refuses encapsulated pixel data, so: write the rest, make the meta say RLE (a UID of the same length),
    /// append the fragments as PS3.5 §A.4 items.
    /// </summary>
    private static byte[] EncodeEncapsulated(DicomFile file)
    {
        var pixelData = (DicomFragmentSequence)file.Dataset.GetItem(DicomTag.PixelData)!;
        file.Dataset.Remove(DicomTag.PixelData);
        var head = DicomWriter.Encode(file.Dataset);
        file.Dataset.AddOrUpdate(pixelData);
        var uid = "1.2.840.10008.1.2.1\0"u8.ToArray();
        var at = head.AsSpan().IndexOf(uid);
        "1.2.840.10008.1.2.5\0"u8.CopyTo(head.AsSpan(at));
        var output = new List<byte>(head);
        void Item(ushort element, ReadOnlySpan<byte> value)
        {
            Span<byte> h = stackalloc byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(h, 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], element);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)value.Length);
            output.AddRange(h.ToArray());
            output.AddRange(value.ToArray());
        }
        output.AddRange([0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        Item(0xE000, []);
        foreach (var fragment in pixelData.Fragments) Item(0xE000, fragment.Span);
        Item(0xE0DD, []);
        return [.. output];
    }
}
