using System.Numerics;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Series;

/// <summary>One slice of a series: a frame of a file (frame 0 of a single-frame image).</summary>
/// <param name="File">The file holding the slice.</param>
/// <param name="Frame">The frame within the file.</param>
public sealed record DicomSlice(DicomFile File, int Frame)
{
    /// <summary>The file and, for a multi-frame file, the frame: for messages.</summary>
    public override string ToString() => (File.FilePath ?? "<dataset>") + (Frame > 0 || IsMultiFrame ? $" frame {Frame}" : "");

    private bool IsMultiFrame => File.Dataset.GetNumberOrDefault(DicomTag.NumberOfFrames, 1) > 1;
}

/// <summary>
/// The slices of one series (same Study and Series Instance UID), sorted along the slice normal: every frame of every
/// file, so an Enhanced CT/MR multi-frame file is a series of its own, with position, orientation, spacing and rescale
/// per frame from its functional groups.
/// </summary>
public sealed class DicomSeries
{
    /// <summary>Adjacent slices whose gap differs from the median gap by more than this fraction are an error (a missing slice).</summary>
    public const double SpacingTolerance = 0.1;

    private DicomSeries(string studyUid, string seriesUid, IReadOnlyList<DicomSlice> slices)
    {
        StudyInstanceUID = studyUid;
        SeriesInstanceUID = seriesUid;
        Slices = slices;
        Files = [.. slices.Select(s => s.File).Distinct()];
    }

    /// <summary>Study Instance UID.</summary>
    public string StudyInstanceUID { get; }

    /// <summary>Series Instance UID.</summary>
    public string SeriesInstanceUID { get; }

    /// <summary>The slices in spatial order.</summary>
    public IReadOnlyList<DicomSlice> Slices { get; }

    /// <summary>The files, in the order of their first slice.</summary>
    public IReadOnlyList<DicomFile> Files { get; }

    /// <summary>Reads every DICOM file under a folder (recursively, whatever its name; <see cref="DicomFile.FindFiles"/>) and groups it into series.</summary>
    public static IReadOnlyList<DicomSeries> FromDirectory(string directory) =>
        Group(DicomFile.FindFiles(directory).Select(path => DicomFile.Open(path))
            .Where(file => file.FileMetaInfo.GetStringOrDefault(DicomTag.MediaStorageSOPClassUID) != DicomFile.MediaStorageDirectoryClassUid));

    /// <summary>Groups files by Study/Series Instance UID and sorts each series' slices.</summary>
    public static IReadOnlyList<DicomSeries> Group(IEnumerable<DicomFile> files) =>
        [.. files
            .GroupBy(f => (Study: f.Dataset.GetStringOrDefault(DicomTag.StudyInstanceUID), Series: f.Dataset.GetStringOrDefault(DicomTag.SeriesInstanceUID)))
            .OrderBy(g => g.Key.Study, StringComparer.Ordinal).ThenBy(g => g.Key.Series, StringComparer.Ordinal)
            .Select(g => new DicomSeries(g.Key.Study, g.Key.Series, Sort([.. g.SelectMany(FramesOf)])))];

    private static IEnumerable<DicomSlice> FramesOf(DicomFile file)
    {
        var frames = file.Dataset.Contains(DicomTag.PixelData) ? Math.Max(1, (int)file.Dataset.GetNumberOrDefault(DicomTag.NumberOfFrames, 1)) : 1;
        return Enumerable.Range(0, frames).Select(frame => new DicomSlice(file, frame));
    }

    /// <summary>
    /// Sorts slices by their position projected on the slice normal; when any slice lacks Image Position/Orientation
    /// (at the top level or in its functional groups), by Instance Number and frame.
    /// </summary>
    public static IReadOnlyList<DicomSlice> Sort(IReadOnlyList<DicomSlice> slices)
    {
        if (slices.All(s => s.File.Dataset.GetFrameNumbers(DicomTag.ImagePositionPatient, s.Frame).Length == 3
                && s.File.Dataset.GetFrameNumbers(DicomTag.ImageOrientationPatient, s.Frame).Length == 6))
        {
            var normal = Geometry(slices[0]).Normal;
            return [.. slices.OrderBy(s => Vector3.Dot(Position(s), normal)).ThenBy(InstanceNumber).ThenBy(s => s.Frame)];
        }
        return [.. slices.OrderBy(InstanceNumber).ThenBy(s => s.Frame)];
    }

    /// <summary>
    /// Splits the series into stacks of one orientation and one matrix size, each sorted along its own normal: a series
    /// that mixes a localiser with the axial slices, or a lumbar CT acquired in blocks tilted along each disc, becomes one
    /// <see cref="DicomSeries"/> per stack, each of which can be a volume (as dcm2niix splits such series). Slices without
    /// geometry stay together, by size. Stacks come in the order of their lowest Instance Number.
    /// </summary>
    public IReadOnlyList<DicomSeries> SplitIntoStacks()
    {
        static string Key(DicomSlice s)
        {
            var ds = s.File.Dataset;
            var size = $"{ds.GetNumberOrDefault(DicomTag.Rows, 0)}x{ds.GetNumberOrDefault(DicomTag.Columns, 0)}";
            var o = ds.GetFrameNumbers(DicomTag.ImageOrientationPatient, s.Frame);
            // Orientations equal to 1e-3 (about 0.06°) are one stack: writers round direction cosines differently.
            return o.Length == 6 ? size + "|" + string.Join(',', o.Select(v => Math.Round(v, 3).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))) : size;
        }
        return [.. Slices.GroupBy(Key).Select(g => new DicomSeries(StudyInstanceUID, SeriesInstanceUID, Sort([.. g])))
            .OrderBy(stack => stack.Slices.Min(InstanceNumber))]; // in acquisition order
    }

    private static double InstanceNumber(DicomSlice s) => s.File.Dataset.GetNumberOrDefault(DicomTag.InstanceNumber, 0);

    /// <summary>Builds the volume in modality units (rescale of each frame applied: HU for CT).</summary>
    /// <exception cref="DicomDataException">
    /// Slices of different size or orientation, missing geometry, two slices at one position, or a gap between slices
    /// that differs from the others by more than <see cref="SpacingTolerance"/> (a missing slice); the message names them.
    /// </exception>
    public DicomVolume ToVolume()
    {
        var first = Slices[0];
        var (rowDir, colDir, normal) = Geometry(first);
        var spacing = first.File.Dataset.GetFrameNumbers(DicomTag.PixelSpacing, first.Frame);
        if (spacing.Length < 2) throw new DicomDataException($"{first}: Pixel Spacing (0028,0030) is required for a volume.");
        var positions = Slices.Select(Position).ToList();
        CheckSpacing(positions, normal);
        var pixels = new DicomPixelData[Slices.Count];
        for (var k = 0; k < Slices.Count; k++)
        {
            var slice = Slices[k];
            var p = pixels[k] = DicomPixelData.Create(slice.File);
            if (p.Rows != pixels[0].Rows || p.Columns != pixels[0].Columns)
                throw new DicomDataException($"{slice}: {p.Rows} × {p.Columns} slice in a {pixels[0].Rows} × {pixels[0].Columns} series.");
            var (r, c, _) = Geometry(slice);
            if (Vector3.Dot(r, rowDir) < 0.999f || Vector3.Dot(c, colDir) < 0.999f)
                throw new DicomDataException($"{slice}: slice orientation differs from the rest of the series.");
        }
        // Slices decode independently: compressed ones in parallel (a core's worth faster per core); native ones are
        // a copy and a multiply each, where threads cost more than they bring.
        var planes = new float[Slices.Count][];
        void Decode(int k)
        {
            var (slope, intercept) = PixelFunctions.GetRescale(Slices[k].File.Dataset, Slices[k].Frame);
            planes[k] = pixels[k].GetFrameModality(Slices[k].Frame, slope, intercept);
        }
        if (!pixels.Any(p => p.IsEncapsulated))
            for (var k = 0; k < Slices.Count; k++) Decode(k);
        else
        {
            try
            {
                Parallel.For(0, Slices.Count, Decode);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The documented exception of a slice that failed (naming its file), not a wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        return new DicomVolume(planes, pixels[0].Columns, pixels[0].Rows, positions, rowDir, colDir, spacing[0], spacing[1],
            first.File.Dataset.GetFrameNumbers(DicomTag.SliceThickness, first.Frame) is [var thickness, ..] ? thickness : 0);
    }

    /// <summary>A volume samples slices by index, so the slices must be evenly spaced: no duplicates, no gaps.</summary>
    private void CheckSpacing(List<Vector3> positions, Vector3 normal)
    {
        if (positions.Count < 2) return;
        var along = positions.Select(p => (double)Vector3.Dot(p, normal)).ToList();
        var gaps = along.Zip(along.Skip(1), (a, b) => b - a).ToList();
        var median = gaps.Order().ElementAt(gaps.Count / 2);
        for (var i = 0; i < gaps.Count; i++)
        {
            if (gaps[i] < 1e-3)
                throw new DicomDataException($"{Slices[i]} and {Slices[i + 1]} lie at the same position along the slice normal " +
                    "(two acquisitions or a repeated slice in one series?); a volume needs one slice per position.");
            if (Math.Abs(gaps[i] - median) > SpacingTolerance * median)
                throw new DicomDataException(FormattableString.Invariant(
                    $"{Slices[i]} and {Slices[i + 1]} are {gaps[i]:0.###} mm apart where the series' slices are {median:0.###} mm apart (a missing slice?); a volume needs even spacing."));
        }
        // A sheared stack (gantry tilt) is fine if every slice steps alike; origins wandering in-plane are not one volume.
        var mean = (positions[^1] - positions[0]) / (positions.Count - 1);
        for (var i = 0; i + 1 < positions.Count; i++)
        {
            var off = (positions[i + 1] - positions[i] - mean).Length();
            if (off > SpacingTolerance * median)
                throw new DicomDataException(FormattableString.Invariant(
                    $"{Slices[i + 1]} is {off:0.###} mm off the series' slice step in-plane (a changed gantry tilt or table offset?); a volume needs slices that step alike."));
        }
    }

    private static Vector3 Position(DicomSlice s)
    {
        var p = s.File.Dataset.GetFrameNumbers(DicomTag.ImagePositionPatient, s.Frame);
        return p.Length == 3 ? new Vector3((float)p[0], (float)p[1], (float)p[2])
            : throw new DicomDataException($"{s}: Image Position (Patient) (0020,0032) is required.");
    }

    private static (Vector3 Row, Vector3 Column, Vector3 Normal) Geometry(DicomSlice s)
    {
        var o = s.File.Dataset.GetFrameNumbers(DicomTag.ImageOrientationPatient, s.Frame);
        if (o.Length != 6) throw new DicomDataException($"{s}: Image Orientation (Patient) (0020,0037) is required.");
        var row = new Vector3((float)o[0], (float)o[1], (float)o[2]);
        var col = new Vector3((float)o[3], (float)o[4], (float)o[5]);
        return (row, col, Vector3.Normalize(Vector3.Cross(row, col)));
    }
}
