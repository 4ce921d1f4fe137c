using System.Buffers.Binary;

namespace FacetMlNet.Dicom.IO;

/// <summary>Writes Part 10 files in Explicit VR Little Endian: preamble, "DICM", meta group with its length, data set.</summary>
public static class DicomWriter
{
    /// <summary>The implementation class UID FacetMlNet writes into (0002,0012).</summary>
    public const string ImplementationClassUid = "2.25.248151911622357405418213461592338735312";

    /// <summary>The implementation version name written into (0002,0013).</summary>
    public const string ImplementationVersionName = "FACETMLNET_1";

    /// <summary>Saves <paramref name="file"/> to <paramref name="path"/> atomically (temporary file, then move).</summary>
    /// <exception cref="DicomDataException">SOP Class/Instance UID missing, or pixel data that is encapsulated.</exception>
    public static void Save(DicomFile file, string path) => AtomicFile.WriteAllBytes(path, Encode(file.Dataset));

    /// <summary>The Part 10 bytes of a data set.</summary>
    public static byte[] Encode(DicomDataset dataset)
    {
        var sopClass = dataset.GetString(DicomTag.SOPClassUID);
        var sopInstance = dataset.GetString(DicomTag.SOPInstanceUID);
        var meta = new DicomDataset()
            .AddOrUpdate(new DicomElement(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 }))
            .AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClass)
            .AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance)
            .AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.ExplicitVRLittleEndian.UID)
            .AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, ImplementationClassUid)
            .AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, ImplementationVersionName);

        using var metaBody = new MemoryStream();
        WriteDataset(metaBody, meta, isMeta: true);
        using var output = new MemoryStream();
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        WriteHeader(output, DicomTag.FileMetaInformationGroupLength, DicomVR.UL, 4);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)metaBody.Length);
        output.Write(len);
        metaBody.Position = 0;
        metaBody.CopyTo(output);
        WriteDataset(output, dataset);
        return output.ToArray();
    }

    private static void WriteDataset(Stream output, DicomDataset dataset, bool isMeta = false)
    {
        foreach (var item in dataset)
        {
            if ((item.Tag.Group == 0x0002) != isMeta) continue; // the meta group is written separately, first
            switch (item)
            {
                case DicomElement e:
                    WriteElement(output, e);
                    break;
                case DicomSequence s:
                    WriteSequence(output, s);
                    break;
                case DicomFragmentSequence:
                    throw new DicomDataException($"{item.Tag}: encapsulated pixel data cannot be written as Explicit VR Little Endian; decode it first.");
            }
        }
    }

    private static void WriteElement(Stream output, DicomElement e)
    {
        var value = e.Buffer.Span;
        var padded = value.Length % 2 == 1;
        if (e.IsBigEndian && e.VR.UnitSize > 1)
        {
            var swapped = value.ToArray();
            for (var i = 0; i + e.VR.UnitSize <= swapped.Length; i += e.VR.UnitSize) swapped.AsSpan(i, e.VR.UnitSize).Reverse();
            value = swapped;
        }
        var length = value.Length + (padded ? 1 : 0);
        if (!e.VR.HasLongLength && length > ushort.MaxValue)
            throw new DicomDataException($"{e.Tag}: a {e.VR} value of {length} bytes does not fit a 16-bit length.");
        WriteHeader(output, e.Tag, e.VR, (uint)length);
        output.Write(value);
        if (padded) output.WriteByte(e.VR.PaddingByte);
    }

    private static void WriteSequence(Stream output, DicomSequence s)
    {
        WriteHeader(output, s.Tag, DicomVR.SQ, 0xFFFFFFFF);
        foreach (var item in s.Items)
        {
            WriteTagAndLength(output, DicomTag.Item, 0xFFFFFFFF);
            WriteDataset(output, item);
            WriteTagAndLength(output, DicomTag.ItemDelimitationItem, 0);
        }
        WriteTagAndLength(output, DicomTag.SequenceDelimitationItem, 0);
    }

    private static void WriteHeader(Stream output, DicomTag tag, DicomVR vr, uint length)
    {
        Span<byte> h = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        h[4] = (byte)vr.Code[0];
        h[5] = (byte)vr.Code[1];
        if (vr.HasLongLength)
        {
            h[6] = h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], length);
            output.Write(h);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
            output.Write(h[..8]);
        }
    }

    private static void WriteTagAndLength(Stream output, DicomTag tag, uint length)
    {
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
        output.Write(h);
    }
}
