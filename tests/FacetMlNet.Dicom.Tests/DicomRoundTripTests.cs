using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

public class DicomRoundTripTests
{
    internal static DicomDataset CtSlice(int rows = 4, int columns = 3, short[]? pixels = null)
    {
        pixels ??= [.. Enumerable.Range(0, rows * columns).Select(i => (short)(i * 100 - 500))];
        var bytes = new byte[pixels.Length * 2];
        Buffer.BlockCopy(pixels, 0, bytes, 0, bytes.Length);
        return new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomUid.FromName("test/slice"))
            .AddOrUpdate(DicomTag.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Müller^Jörg")
            .AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100")
            .AddOrUpdate(DicomTag.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, 0.488281, 0.488281)
            .AddOrUpdate(DicomTag.Rows, DicomVR.US, rows)
            .AddOrUpdate(DicomTag.Columns, DicomVR.US, columns)
            .AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16)
            .AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 16)
            .AddOrUpdate(DicomTag.HighBit, DicomVR.US, 15)
            .AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 1)
            .AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, 1)
            .AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, -1024)
            .AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 1)
            .AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, bytes));
    }

    [Fact]
    public void Written_file_reads_back_with_the_same_values()
    {
        var bytes = DicomWriter.Encode(CtSlice());
        var file = DicomFile.Open(bytes, "roundtrip.dcm");
        Assert.True(file.HadPreamble);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("CT", file.Dataset.GetString(DicomTag.Modality));
        Assert.Equal("Müller^Jörg", file.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], file.Dataset.GetStrings(DicomTag.ImageType));
        Assert.Equal([0.488281, 0.488281], file.Dataset.GetNumbers(DicomTag.PixelSpacing));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPClassUID));
        var stored = DicomPixelData.Create(file).GetStoredValues(0);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 100 - 500), stored);
        var hu = PixelFunctions.ApplyModalityLut(stored, 1, -1024);
        Assert.Equal(-1524f, hu[0]);
    }

    [Fact]
    public void Meta_group_length_counts_the_bytes_of_the_meta_group()
    {
        var bytes = DicomWriter.Encode(CtSlice());
        var length = BitConverter.ToUInt32(bytes, 132 + 8);
        var afterMeta = 132 + 12 + (int)length;
        // The first data set element (0008,0005) starts right after the meta group.
        Assert.Equal(0x0008, BitConverter.ToUInt16(bytes, afterMeta));
        Assert.Equal(0x0005, BitConverter.ToUInt16(bytes, afterMeta + 2));
    }

    [Fact]
    public void Odd_length_values_are_padded_to_even_length()
    {
        var ds = CtSlice().AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, "ABC");
        var file = DicomFile.Open(DicomWriter.Encode(ds));
        var element = (DicomElement)file.Dataset.GetItem(DicomTag.StudyDescription)!;
        Assert.Equal(4, element.Buffer.Length);
        Assert.Equal("ABC", file.Dataset.GetString(DicomTag.StudyDescription));
        Assert.Equal(0, ((DicomElement)file.Dataset.GetItem(DicomTag.SOPInstanceUID)!).Buffer.Length % 2);
    }

    [Fact]
    public void Sequences_round_trip()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, "1.2.3");
        var ds = CtSlice().AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140), [item, item]));
        var file = DicomFile.Open(DicomWriter.Encode(ds));
        var seq = file.Dataset.GetSequence(new DicomTag(0x0008, 0x1140));
        Assert.Equal(2, seq.Count);
        Assert.Equal("1.2.3", seq[1].GetString(DicomTag.SOPInstanceUID));
    }

    [Fact]
    public void Uids_from_names_are_stable_valid_and_distinct()
    {
        var a = DicomUid.FromName("x");
        Assert.Equal(a, DicomUid.FromName("x"));
        Assert.NotEqual(a, DicomUid.FromName("y"));
        Assert.StartsWith("2.25.", a);
        Assert.True(a.Length <= 64);
        Assert.Matches("^[0-9.]+$", a);
    }

    [Fact]
    public void Save_is_atomic_and_leaves_no_temporary_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"facetml-dicom-{Guid.NewGuid():N}");
        try
        {
            var path = Path.Combine(dir, "a.dcm");
            new DicomFile(CtSlice()).Save(path);
            Assert.Equal(["a.dcm"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Throws<DicomDataException>(() => new DicomFile(new DicomDataset()).Save(Path.Combine(dir, "b.dcm")));
            Assert.Equal(["a.dcm"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

public class DicomHeaderTests
{
    [Theory]
    [InlineData(16, 16)]     // whole file under the 64 KiB probe
    [InlineData(256, 256)]   // 128 KiB of pixels: only the probe is read
    public void Header_has_every_element_but_pixel_data(int rows, int columns)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"facetml-header-{Guid.NewGuid():N}");
        try
        {
            var path = Path.Combine(dir, "a.dcm");
            var pixels = new short[rows * columns];
            var ds = DicomRoundTripTests.CtSlice(rows, columns, pixels).AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, "1.2.3.4");
            new DicomFile(ds).Save(path);
            var header = DicomFile.OpenHeader(path);
            var full = DicomFile.Open(path);
            Assert.False(header.Dataset.Contains(DicomTag.PixelData));
            Assert.Equal(full.Dataset.Count - 1, header.Dataset.Count);
            Assert.Equal("1.2.3.4", header.Dataset.GetString(DicomTag.SeriesInstanceUID));
            Assert.Equal(full.TransferSyntax, header.TransferSyntax);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_truncated_file_is_still_a_clear_error() =>
        Assert.Throws<DicomFormatException>(() =>
        {
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, IO.DicomWriter.Encode(DicomRoundTripTests.CtSlice())[..150]);
                DicomFile.OpenHeader(path);
            }
            finally
            {
                File.Delete(path);
            }
        });
}
