using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.IO;
using FacetMlNet.Dicom.Series;

namespace FacetMlNet.Dicom.Tests;

/// <summary>Series: slices sorted in space, multi-frame files expanded by their functional groups, even spacing enforced.</summary>
public class DicomSeriesTests
{
    private static DicomFile Slice(int instance, double z, bool geometry = true)
    {
        var ds = DicomRoundTripTests.CtSlice(2, 2)
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomUid.FromName($"s{instance}"))
            .AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, "1.2.3")
            .AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, "1.2.3.4")
            .AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, instance);
        if (geometry)
            ds.AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, 0, 0, z)
              .AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 1, 0);
        return DicomFile.Open(DicomWriter.Encode(ds), $"i{instance}.dcm");
    }

    [Fact]
    public void Series_are_sorted_along_the_normal_and_fall_back_to_instance_number()
    {
        // Instance numbers disagree with position: position wins when present.
        var series = DicomSeries.Group([Slice(1, 30), Slice(2, 10), Slice(3, 20)]).Single();
        Assert.Equal([2, 3, 1], series.Files.Select(f => (int)f.Dataset.GetNumber(DicomTag.InstanceNumber)));
        var volume = series.ToVolume();
        Assert.Equal(10, volume.SliceSpacing, 6);
        Assert.Equal(3, volume.Depth);
        var noGeometry = DicomSeries.Group([Slice(3, 0, false), Slice(1, 0, false), Slice(2, 0, false)]).Single();
        Assert.Equal([1, 2, 3], noGeometry.Files.Select(f => (int)f.Dataset.GetNumber(DicomTag.InstanceNumber)));
    }

    [Fact]
    public void A_missing_slice_is_an_error_naming_the_slices_around_the_gap()
    {
        var series = DicomSeries.Group([Slice(1, 0), Slice(2, 2.5), Slice(3, 5), Slice(5, 10), Slice(6, 12.5)]).Single();
        var e = Assert.Throws<DicomDataException>(series.ToVolume);
        Assert.Contains("i3.dcm and i5.dcm are 5 mm apart", e.Message);
        Assert.Contains("2.5 mm", e.Message);
    }

    [Fact]
    public void A_gantry_tilted_series_is_a_sheared_volume_and_a_wandering_slice_an_error()
    {
        var (cos, sin) = (Math.Cos(15 * Math.PI / 180), Math.Sin(15 * Math.PI / 180));
        DicomFile Tilted(int instance, double x)
        {
            var file = Slice(instance, 3 * instance);
            file.Dataset.AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, cos, sin)
                .AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, x, 0, 3 * instance);
            return file;
        }
        var volume = DicomSeries.Group([.. Enumerable.Range(0, 4).Select(i => Tilted(i, 0))]).Single().ToVolume();
        Assert.Equal(15, volume.ShearDegrees, 2);
        Assert.Equal(3 * cos, volume.SliceSpacing, 4);
        // Slice 2 moved 2 mm along its rows: in-plane, so the gaps along the normal still agree.
        var wandering = DicomSeries.Group([Tilted(0, 0), Tilted(1, 0), Tilted(2, 2), Tilted(3, 0)]).Single();
        var e = Assert.Throws<DicomDataException>(wandering.ToVolume);
        Assert.Contains("i2.dcm", e.Message);
        Assert.Contains("off the series' slice step", e.Message);
    }

    [Fact]
    public void A_slice_that_cannot_be_decoded_fails_the_volume_with_its_own_error_not_a_wrapper()
    {
        var broken = Slice(2, 2.5);
        broken.Dataset.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, new byte[3])); // 2 × 2 pixels need 8 bytes
        var series = DicomSeries.Group([Slice(1, 0), broken, Slice(3, 5)]).Single();
        var e = Assert.Throws<DicomDataException>(series.ToVolume);
        Assert.Contains("i2.dcm", e.Message);
    }

    [Fact]
    public void A_compressed_series_decodes_in_parallel_and_a_corrupt_slice_fails_with_its_own_error()
    {
        DicomFile Rle(int instance, double z, bool corrupt = false)
        {
            ushort[] values = [.. Enumerable.Range(0, 16).Select(i => (ushort)(instance * 100 + i))];
            var ds = Slice(instance, z).Dataset
                .AddOrUpdate(DicomTag.Rows, DicomVR.US, 4).AddOrUpdate(DicomTag.Columns, DicomVR.US, 4)
                .AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0)
                .AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, [],
                    [corrupt ? new byte[] { 1, 2, 3, 4, 5 } : EncapsulatedFramesTests.RleEncode(values)]));
            var meta = new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.RLELossless.UID);
            return new DicomFile(ds, meta, $"rle{instance}.dcm");
        }
        var volume = DicomSeries.Group([.. Enumerable.Range(1, 6).Select(i => Rle(i, 2.0 * i))]).Single().ToVolume();
        Assert.Equal([.. Enumerable.Range(1, 6).Select(i => (float)(i * 100 - 1024))], volume.Slices.Select(plane => plane[0]));
        var broken = DicomSeries.Group([.. Enumerable.Range(1, 6).Select(i => Rle(i, 2.0 * i, corrupt: i == 4))]).Single();
        var e = Assert.ThrowsAny<Exception>(broken.ToVolume);
        Assert.True(e is DicomCodecException or DicomFormatException, $"{e.GetType().Name} escaped: {e.Message}");
        Assert.Contains("rle4.dcm", e.Message);
    }

    [Fact]
    public void A_series_of_tilted_blocks_and_a_localiser_splits_into_stacks_that_each_make_a_volume()
    {
        var (cos, sin) = (Math.Cos(15 * Math.PI / 180), Math.Sin(15 * Math.PI / 180));
        DicomFile Tilted(int instance, double z)
        {
            var file = Slice(instance, z);
            file.Dataset.AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, cos, sin);
            return file;
        }
        var localiser = Slice(99, 0);
        localiser.Dataset.AddOrUpdate(DicomTag.Rows, DicomVR.US, 1).AddOrUpdate(DicomTag.Columns, DicomVR.US, 4)
            .AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 0, -1);
        var series = DicomSeries.Group([Slice(1, 0), Tilted(4, 30), Slice(2, 3), localiser, Tilted(5, 33), Slice(3, 6), Tilted(6, 36)]).Single();
        Assert.Throws<DicomDataException>(series.ToVolume); // mixed orientations are not one volume
        var stacks = series.SplitIntoStacks();
        Assert.Equal(3, stacks.Count);
        Assert.Equal([[1, 2, 3], [4, 5, 6], [99]], stacks.Select(s => s.Files.Select(f => (int)f.Dataset.GetNumber(DicomTag.InstanceNumber)).ToArray()));
        Assert.Equal(3, stacks[0].ToVolume().Depth);
        Assert.Equal(15, stacks[1].ToVolume().ShearDegrees, 2);
        Assert.Equal(1, stacks[2].ToVolume().Depth);
    }

    [Fact]
    public void Two_slices_at_one_position_are_an_error()
    {
        var series = DicomSeries.Group([Slice(1, 0), Slice(2, 3), Slice(3, 3)]).Single();
        var e = Assert.Throws<DicomDataException>(series.ToVolume);
        Assert.Contains("i2.dcm and i3.dcm lie at the same position", e.Message);
    }

    /// <summary>
    /// An Enhanced CT file of three frames: orientation, spacing and rescale shared, each frame's position its own and in
    /// reverse order, frame 1 with a rescale of its own.
    /// </summary>
    private static DicomFile EnhancedCt()
    {
        short[] stored = [.. Enumerable.Range(0, 12).Select(i => (short)(i * 10))];
        var bytes = new byte[stored.Length * 2];
        Buffer.BlockCopy(stored, 0, bytes, 0, bytes.Length);
        static DicomSequence Macro(DicomTag tag, DicomDataset item) => new(tag, [item]);
        var shared = new DicomDataset()
            .AddOrUpdate(Macro(DicomTag.PlaneOrientationSequence, new DicomDataset().AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 1, 0)))
            .AddOrUpdate(Macro(DicomTag.PixelMeasuresSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, 0.5, 0.5).AddOrUpdate(DicomTag.SliceThickness, DicomVR.DS, 2)))
            .AddOrUpdate(Macro(DicomTag.PixelValueTransformationSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, -1024).AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 1)))
            .AddOrUpdate(Macro(DicomTag.FrameVOILUTSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, 400).AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, 2000)));
        DicomDataset Frame(double z, double? intercept = null)
        {
            var group = new DicomDataset().AddOrUpdate(Macro(DicomTag.PlanePositionSequence, new DicomDataset().AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, 0, 0, z)));
            if (intercept is { } b)
                group.AddOrUpdate(Macro(DicomTag.PixelValueTransformationSequence, new DicomDataset()
                    .AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, b).AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 2)));
            return group;
        }
        var ds = DicomRoundTripTests.CtSlice(2, 2)
            .AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2.1")
            .AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, 3)
            .AddOrUpdate(new DicomSequence(DicomTag.SharedFunctionalGroupsSequence, [shared]))
            .AddOrUpdate(new DicomSequence(DicomTag.PerFrameFunctionalGroupsSequence, [Frame(4), Frame(2, intercept: -1000), Frame(0)]))
            .AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, bytes));
        ds.Remove(DicomTag.RescaleIntercept);
        ds.Remove(DicomTag.RescaleSlope);
        return DicomFile.Open(DicomWriter.Encode(ds), "enhanced.dcm");
    }

    [Fact]
    public void Frame_attributes_come_from_the_frame_then_the_shared_groups_then_the_top_level()
    {
        var ds = EnhancedCt().Dataset;
        Assert.Equal([0, 0, 4], ds.GetFrameNumbers(DicomTag.ImagePositionPatient, 0));
        Assert.Equal([0, 0, 2], ds.GetFrameNumbers(DicomTag.ImagePositionPatient, 1));
        Assert.Equal((1.0, -1024.0), PixelFunctions.GetRescale(ds, 0));
        Assert.Equal((2.0, -1000.0), PixelFunctions.GetRescale(ds, 1));
        Assert.Equal(new VoiWindow(400, 2000), VoiWindow.FromDataset(ds, 2));
        Assert.Equal([0.488281, 0.488281], ds.GetNumbers(DicomTag.PixelSpacing)); // top level, as written
        Assert.Equal([0.5, 0.5], ds.GetFrameNumbers(DicomTag.PixelSpacing, 0)); // the functional group wins
    }

    [Fact]
    public void An_enhanced_multi_frame_file_is_a_volume_of_its_frames_in_space_order_with_their_rescale()
    {
        var series = DicomSeries.Group([EnhancedCt()]).Single();
        Assert.Equal([2, 1, 0], series.Slices.Select(s => s.Frame));
        var volume = series.ToVolume();
        Assert.Equal(3, volume.Depth);
        Assert.Equal(2, volume.SliceSpacing, 6);
        Assert.Equal(2, volume.SliceThickness);
        Assert.Equal(0.5, volume.RowSpacing);
        // Frame 2 (z 0) holds stored 80…110 → HU −944…; frame 1 (z 2) has its own rescale 2·s − 1000.
        Assert.Equal([80 - 1024, 90 - 1024, 100 - 1024, 110 - 1024], volume.Slices[0]);
        Assert.Equal([2 * 40 - 1000, 2 * 50 - 1000, 2 * 60 - 1000, 2 * 70 - 1000], volume.Slices[1]);
        Assert.Equal([-1024, 10 - 1024, 20 - 1024, 30 - 1024], volume.Slices[2]);
        Assert.Contains("enhanced.dcm frame 1", series.Slices[1].ToString());
    }

    /// <summary>The corpus's Enhanced CT file (pydicom's test data): two frames 10 mm apart, rescale only in the functional groups.</summary>
    [SkippableFact]
    public void The_corpus_enhanced_ct_becomes_a_two_slice_hu_volume()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var path = Path.Combine(DicomCorpus.Directory!, "files", "dp__encapsulated__multi-frame__CT0012.explicit_little_endian.dcm");
        var file = DicomFile.Open(path);
        var volume = DicomSeries.Group([file]).Single().ToVolume();
        Assert.Equal(2, volume.Depth);
        Assert.Equal(10, volume.SliceSpacing, 3);
        Assert.Equal(0.388672, volume.RowSpacing, 6);
        var pixels = DicomPixelData.Create(file);
        // Sorted along the normal (0, 0, −1): frame 1 (z −149) comes first.
        Assert.Equal(pixels.GetStoredValues(1).Select(v => (float)(v - 1024)), volume.Slices[0]);
        Assert.Equal(pixels.GetStoredValues(0).Select(v => (float)(v - 1024)), volume.Slices[1]);
        var summary = DicomFileSummary.Read(path);
        Assert.Equal(-1024, summary.RescaleIntercept);
        Assert.Equal(10, summary.SliceThickness);
    }
}

/// <summary>A CT stack acquired with gantry tilt: tilted slices, the table stepping along z, so the stack is sheared.</summary>
public class DicomVolumeShearTests
{
    [Fact]
    public void A_tilted_stack_maps_points_along_its_slice_step_not_the_normal()
    {
        const double tilt = 15 * Math.PI / 180;
        var row = new System.Numerics.Vector3(1, 0, 0);
        var column = new System.Numerics.Vector3(0, (float)Math.Cos(tilt), (float)Math.Sin(tilt));
        var step = new System.Numerics.Vector3(0, 0, 3); // table feed 3 mm per slice
        var origin = new System.Numerics.Vector3(-10, -20, 100);
        var positions = Enumerable.Range(0, 5).Select(k => origin + step * k).ToList();
        var slices = Enumerable.Range(0, 5).Select(_ => new float[4 * 4]).ToList();
        var volume = new DicomVolume(slices, 4, 4, positions, row, column, 0.5, 0.5, 3);

        Assert.Equal(15, volume.ShearDegrees, 3);
        Assert.Equal(3 * Math.Cos(tilt), volume.SliceSpacing, 4);
        // Column 3, row 2 of slice 2: its patient point, and back.
        var voxel = new System.Numerics.Vector3(3, 2, 2);
        var patient = origin + step * 2 + row * 1.5f + column * 1.0f;
        Assert.True((volume.VoxelToPatient(voxel) - patient).Length() < 1e-4, $"{volume.VoxelToPatient(voxel)} vs {patient}");
        Assert.True((volume.PatientToVoxel(patient) - voxel).Length() < 1e-4, $"{volume.PatientToVoxel(patient)} vs {voxel}");
    }

    [Fact]
    public void An_untilted_stack_has_no_shear_and_steps_along_the_normal()
    {
        var positions = Enumerable.Range(0, 3).Select(k => new System.Numerics.Vector3(0, 0, -2.5f * k)).ToList();
        var volume = new DicomVolume([.. Enumerable.Range(0, 3).Select(_ => new float[4])], 2, 2, positions,
            new(1, 0, 0), new(0, -1, 0), 1, 1, 2.5); // normal (0, 0, −1): positions descend in z, ascend along it
        Assert.Equal(0, volume.ShearDegrees, 3);
        Assert.Equal(2.5, volume.SliceSpacing, 5);
        Assert.Equal(new System.Numerics.Vector3(1, 1, 2), volume.PatientToVoxel(new(1, -1, -5)));
    }
}

/// <summary>A PACS export or a CD names its files anyhow: DICOM is recognised by content, DICOMDIRs and other files left out.</summary>
public sealed class DicomFindFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("facetml-find-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Slice(int instance, double z) => DicomWriter.Encode(DicomRoundTripTests.CtSlice(2, 2)
        .AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomUid.FromName($"f{instance}"))
        .AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, "1.2.3")
        .AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, "1.2.3.4")
        .AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, instance)
        .AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, 0, 0, z)
        .AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 1, 0));

    private void Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Dicom_files_are_found_by_content_and_dicomdirs_are_not_series()
    {
        Write("a.dcm", Slice(1, 0));
        Write("B.DCM", Slice(2, 2.5));
        Write("IM000003", Slice(3, 5));
        // No preamble and no meta group: the data set alone, as some old exports hold it.
        var full = Slice(4, 7.5);
        var metaLength = BitConverter.ToInt32(full, 140);
        Write(Path.Combine("sub", "no-preamble"), full[(144 + metaLength)..]);
        Write("README.txt", "exported by a PACS"u8.ToArray());
        Write("image.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13]);
        var directory = DicomWriter.Encode(new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, DicomFile.MediaStorageDirectoryClassUid)
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomUid.FromName("dir")));
        Write("DICOMDIR", directory);
        Write("index.dcm", directory);

        Assert.Equal(["B.DCM", "IM000003", "a.dcm", "index.dcm", Path.Combine("sub", "no-preamble")],
            DicomFile.FindFiles(_dir).Select(p => Path.GetRelativePath(_dir, p)));
        var series = Assert.Single(DicomSeries.FromDirectory(_dir));
        Assert.Equal([1, 2, 3, 4], series.Files.Select(f => (int)f.Dataset.GetNumber(DicomTag.InstanceNumber)));
        Assert.Equal(4, series.ToVolume().Depth);
        Assert.False(DicomFile.HasValidHeader(Path.Combine(_dir, "README.txt")));
        Assert.False(DicomFile.HasValidHeader(Path.Combine(_dir, "missing")));
    }

    [SkippableFact]
    public void Every_corpus_file_the_reader_opens_is_recognised_as_dicom()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var opened = 0;
        foreach (var path in DicomCorpus.Entries().Select(DicomCorpus.PathOf))
        {
            try { DicomFile.Open(path); }
            catch (DicomFormatException) { continue; }
            Assert.True(DicomFile.HasValidHeader(path), $"{path} opens but is not recognised");
            opened++;
        }
        Assert.True(opened > 140, $"only {opened} files opened");
    }
}
