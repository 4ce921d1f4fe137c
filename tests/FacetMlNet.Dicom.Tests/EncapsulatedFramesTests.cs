using System.Buffers.Binary;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

public class EncapsulatedFramesTests
{
    /// <summary>RLE Lossless of 16-bit grey values with literal runs only (PS3.5 G.3).</summary>
    internal static byte[] RleEncode(ushort[] values)
    {
        byte[] Segment(Func<ushort, byte> pick)
        {
            var raw = values.Select(pick).ToArray();
            var output = new List<byte>();
            for (var i = 0; i < raw.Length; i += 128)
            {
                var n = Math.Min(128, raw.Length - i);
                output.Add((byte)(n - 1));
                output.AddRange(raw.AsSpan(i, n).ToArray());
            }
            if (output.Count % 2 == 1) output.Add(0x80); // no-op padding
            return [.. output];
        }
        var high = Segment(v => (byte)(v >> 8));
        var low = Segment(v => (byte)v);
        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 64);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)(64 + high.Length));
        return [.. header, .. high, .. low];
    }

    internal static DicomFile TwoFrameRle(bool extendedOffsetTable)
    {
        ushort[][] frames = [[.. Enumerable.Range(0, 16).Select(i => (ushort)(i * 1000))], [.. Enumerable.Range(0, 16).Select(i => (ushort)(65535 - i))]];
        var encoded = frames.Select(RleEncode).ToArray();
        // Split each frame into two fragments, so fragments ≠ frames and only a table can find frame 2.
        var fragments = encoded.SelectMany(e => new ReadOnlyMemory<byte>[] { e.AsMemory(0, 40), e.AsMemory(40) }).ToList();
        var ds = DicomRoundTripTests.CtSlice(4, 4)
            .AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0)
            .AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, 2)
            .AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, [], fragments));
        if (extendedOffsetTable)
        {
            var offsets = new byte[16];
            var lengths = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(offsets.AsSpan(8), (ulong)(8 + 40 + 8 + (encoded[0].Length - 40)));
            BinaryPrimitives.WriteUInt64LittleEndian(lengths, (ulong)encoded[0].Length);
            BinaryPrimitives.WriteUInt64LittleEndian(lengths.AsSpan(8), (ulong)encoded[1].Length);
            ds.AddOrUpdate(new DicomElement(new DicomTag(0x7FE0, 0x0001), DicomVR.OV, offsets));
            ds.AddOrUpdate(new DicomElement(new DicomTag(0x7FE0, 0x0002), DicomVR.OV, lengths));
        }
        var meta = new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.RLELossless.UID);
        return new DicomFile(ds, meta, "two-frames.dcm");
    }

    [Fact]
    public void Extended_offset_table_finds_each_frame_of_fragmented_rle()
    {
        var pixels = DicomPixelData.Create(TwoFrameRle(extendedOffsetTable: true));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 1000), pixels.GetFrameSamples(0));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => 65535 - i), pixels.GetFrameSamples(1));
    }

    [Fact]
    public void Without_any_table_fragmented_rle_frames_are_refused_clearly()
    {
        var pixels = DicomPixelData.Create(TwoFrameRle(extendedOffsetTable: false));
        var e = Assert.Throws<DicomCodecException>(() => pixels.GetFrameSamples(1));
        Assert.Contains("two-frames.dcm", e.Message);
        Assert.Contains("4 fragments", e.Message);
    }
}
