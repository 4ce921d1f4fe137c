using System.Numerics;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Series;

/// <summary>The files of one series (same Study and Series Instance UID), sorted along the slice normal.</summary>
public sealed class DicomSeries
{
    private DicomSeries(string studyUid, string seriesUid, IReadOnlyList<DicomFile> files)
    {
        StudyInstanceUID = studyUid;
        SeriesInstanceUID = seriesUid;
        Files = files;
    }

    /// <summary>Study Instance UID.</summary>
    public string StudyInstanceUID { get; }

    /// <summary>Series Instance UID.</summary>
    public string SeriesInstanceUID { get; }

    /// <summary>The slices in spatial order.</summary>
    public IReadOnlyList<DicomFile> Files { get; }

    /// <summary>Reads every <c>.dcm</c> file under a folder (recursively) and groups it into series.</summary>
    public static IReadOnlyList<DicomSeries> FromDirectory(string directory) =>
        Group(Directory.EnumerateFiles(directory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path => DicomFile.Open(path)));

    /// <summary>Groups files by Study/Series Instance UID and sorts each series.</summary>
    public static IReadOnlyList<DicomSeries> Group(IEnumerable<DicomFile> files) =>
        [.. files
            .GroupBy(f => (Study: f.Dataset.GetStringOrDefault(DicomTag.StudyInstanceUID), Series: f.Dataset.GetStringOrDefault(DicomTag.SeriesInstanceUID)))
            .OrderBy(g => g.Key.Study, StringComparer.Ordinal).ThenBy(g => g.Key.Series, StringComparer.Ordinal)
            .Select(g => new DicomSeries(g.Key.Study, g.Key.Series, Sort([.. g])))];

    /// <summary>
    /// Sorts slices by their position projected on the slice normal; files without Image Position/Orientation fall
    /// back to Instance Number.
    /// </summary>
    public static IReadOnlyList<DicomFile> Sort(IReadOnlyList<DicomFile> files)
    {
        if (files.All(f => f.Dataset.GetNumbers(DicomTag.ImagePositionPatient).Length == 3 && f.Dataset.GetNumbers(DicomTag.ImageOrientationPatient).Length == 6))
        {
            var normal = Geometry(files[0]).Normal;
            return [.. files.OrderBy(f => Vector3.Dot(Position(f), normal))];
        }
        return [.. files.OrderBy(f => f.Dataset.GetNumberOrDefault(DicomTag.InstanceNumber, 0))];
    }

    /// <summary>Builds the volume in modality units (rescale applied: HU for CT).</summary>
    /// <exception cref="DicomDataException">Slices of different size or orientation, or missing geometry.</exception>
    public DicomVolume ToVolume()
    {
        var first = Files[0];
        var pixel = DicomPixelData.Create(first);
        var (rowDir, colDir, _) = Geometry(first);
        var spacing = first.Dataset.GetNumbers(DicomTag.PixelSpacing);
        if (spacing.Length < 2) throw new DicomDataException($"{first.FilePath}: Pixel Spacing (0028,0030) is required for a volume.");
        var slices = new List<float[]>(Files.Count);
        var positions = new List<Vector3>(Files.Count);
        foreach (var file in Files)
        {
            var p = DicomPixelData.Create(file);
            if (p.Rows != pixel.Rows || p.Columns != pixel.Columns)
                throw new DicomDataException($"{file.FilePath}: {p.Rows} × {p.Columns} slice in a {pixel.Rows} × {pixel.Columns} series.");
            var (r, c, _) = Geometry(file);
            if (Vector3.Dot(r, rowDir) < 0.999f || Vector3.Dot(c, colDir) < 0.999f)
                throw new DicomDataException($"{file.FilePath}: slice orientation differs from the rest of the series.");
            var (slope, intercept) = PixelFunctions.GetRescale(file.Dataset);
            slices.Add(p.GetFrameModality(0, slope, intercept));
            positions.Add(Position(file));
        }
        return new DicomVolume(slices, pixel.Columns, pixel.Rows, positions, rowDir, colDir, spacing[0], spacing[1],
            first.Dataset.GetNumberOrDefault(DicomTag.SliceThickness, 0));
    }

    private static Vector3 Position(DicomFile f)
    {
        var p = f.Dataset.GetNumbers(DicomTag.ImagePositionPatient);
        return p.Length == 3 ? new Vector3((float)p[0], (float)p[1], (float)p[2])
            : throw new DicomDataException($"{f.FilePath}: Image Position (Patient) (0020,0032) is required.");
    }

    private static (Vector3 Row, Vector3 Column, Vector3 Normal) Geometry(DicomFile f)
    {
        var o = f.Dataset.GetNumbers(DicomTag.ImageOrientationPatient);
        if (o.Length != 6) throw new DicomDataException($"{f.FilePath}: Image Orientation (Patient) (0020,0037) is required.");
        var row = new Vector3((float)o[0], (float)o[1], (float)o[2]);
        var col = new Vector3((float)o[3], (float)o[4], (float)o[5]);
        return (row, col, Vector3.Normalize(Vector3.Cross(row, col)));
    }
}
