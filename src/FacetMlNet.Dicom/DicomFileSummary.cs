using System.Globalization;
using System.Security.Cryptography;
using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom;

/// <summary>What <c>facetml dicom info</c> shows of one file: the header facts a user checks, and whether the pixels decode.</summary>
public sealed record DicomFileSummary
{
#pragma warning disable CS1591 // Field names say what they are; all optional where the file lacks them.
    public required string File { get; init; }
    public string? Error { get; init; }
    public string? TransferSyntaxUid { get; init; }
    public string? TransferSyntaxName { get; init; }
    public string? Modality { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    public int? Frames { get; init; }
    public int? BitsAllocated { get; init; }
    public int? BitsStored { get; init; }
    public int? PixelRepresentation { get; init; }
    public string? PhotometricInterpretation { get; init; }
    public double? RescaleSlope { get; init; }
    public double? RescaleIntercept { get; init; }
    public double? WindowCenter { get; init; }
    public double? WindowWidth { get; init; }
    public double[]? PixelSpacing { get; init; }
    public double? SliceThickness { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? PatientId { get; init; }
    public bool? PixelsDecode { get; init; }
    public string? PixelError { get; init; }
    public string? Frame0Sha256 { get; init; }
#pragma warning restore CS1591

    /// <summary>
    /// Summarises a file. A file that cannot be read gives a summary with <see cref="Error"/> set, never an exception;
    /// the patient identifier is filled only with <paramref name="showPhi"/>.
    /// </summary>
    public static DicomFileSummary Read(string path, bool showPhi = false)
    {
        DicomFile file;
        try { file = DicomFile.Open(path); }
        catch (DicomFormatException e) { return new DicomFileSummary { File = path, Error = e.Message }; }
        var ds = file.Dataset;
        double? Num(DicomTag tag) => ds.GetNumbers(tag) is [var v, ..] ? v : null;
        double? Frame0(DicomTag tag) => ds.GetFrameNumbers(tag, 0) is [var v, ..] ? v : null; // functional groups first
        string? Str(DicomTag tag) => ds.TryGetString(tag, out var s) ? s : null;
        var summary = new DicomFileSummary { File = path };
        try
        {
            summary = summary with
            {
                TransferSyntaxUid = file.TransferSyntax.UID,
                TransferSyntaxName = file.TransferSyntax.Name,
                Modality = Str(DicomTag.Modality),
                Rows = (int?)Num(DicomTag.Rows),
                Columns = (int?)Num(DicomTag.Columns),
                Frames = ds.Contains(DicomTag.PixelData) ? (int)(Num(DicomTag.NumberOfFrames) ?? 1) : null,
                BitsAllocated = (int?)Num(DicomTag.BitsAllocated),
                BitsStored = (int?)Num(DicomTag.BitsStored),
                PixelRepresentation = (int?)Num(DicomTag.PixelRepresentation),
                PhotometricInterpretation = Str(DicomTag.PhotometricInterpretation),
                RescaleSlope = Frame0(DicomTag.RescaleSlope),
                RescaleIntercept = Frame0(DicomTag.RescaleIntercept),
                WindowCenter = Frame0(DicomTag.WindowCenter),
                WindowWidth = Frame0(DicomTag.WindowWidth),
                PixelSpacing = ds.GetFrameNumbers(DicomTag.PixelSpacing, 0) is { Length: > 0 } sp ? sp : null,
                SliceThickness = Frame0(DicomTag.SliceThickness),
                StudyInstanceUid = Str(DicomTag.StudyInstanceUID),
                SeriesInstanceUid = Str(DicomTag.SeriesInstanceUID),
                SopInstanceUid = Str(DicomTag.SOPInstanceUID),
                PatientId = showPhi ? Str(DicomTag.PatientID) : null,
            };
        }
        catch (DicomDataException e) { return summary with { Error = e.Message }; }
        if (!ds.Contains(DicomTag.PixelData)) return summary;
        try
        {
            var pixels = DicomPixelData.Create(file);
            return summary with { PixelsDecode = true, Frame0Sha256 = StoredValueHash(pixels.GetFrameSamples(0), pixels.BitsAllocated, pixels.IsSigned) };
        }
        catch (Exception e) when (e is DicomCodecException or DicomDataException or DicomFormatException)
        {
            return summary with { PixelsDecode = false, PixelError = e.Message };
        }
    }

    /// <summary>Summaries of files and of every file under folders (recursively, in name order), one per file, never throwing.</summary>
    public static IEnumerable<DicomFileSummary> ReadAll(IEnumerable<string> filesOrFolders, bool showPhi = false) =>
        filesOrFolders.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p])
            .Select(f => Read(f, showPhi));

    /// <summary>True when the file could not be read or its pixels could not be decoded.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Failed => Error is not null || PixelsDecode == false;

    /// <summary>
    /// SHA-256 of stored values as little-endian bytes of the NumPy dtype pydicom gives them ((u)int8/16/32 by Bits
    /// Allocated and Pixel Representation; uint8 for 1-bit): the corpus manifest's convention.
    /// </summary>
    public static string StoredValueHash(int[] values, int bitsAllocated, bool signed)
    {
        var size = bitsAllocated <= 8 ? 1 : bitsAllocated <= 16 ? 2 : 4;
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            bytes[i * size] = (byte)v;
            if (size >= 2) bytes[i * size + 1] = (byte)(v >> 8);
            if (size == 4)
            {
                bytes[i * size + 2] = (byte)(v >> 16);
                bytes[i * size + 3] = (byte)(v >> 24);
            }
        }
        _ = signed; // two's complement: the bytes of a signed and an unsigned value of the same bits are the same
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>One line for text mode.</summary>
    public string ToLine()
    {
        if (Error is not null) return $"{File}: ERROR {Error}";
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string> { $"{File}:", TransferSyntaxName ?? "?", Modality ?? "-" };
        if (Rows is not null) parts.Add($"{Rows}x{Columns}x{Frames ?? 1}");
        if (BitsAllocated is not null) parts.Add($"bits {BitsStored}/{BitsAllocated}{(PixelRepresentation == 1 ? " signed" : "")}");
        if (PhotometricInterpretation is not null) parts.Add(PhotometricInterpretation);
        if (RescaleSlope is not null || RescaleIntercept is not null) parts.Add(string.Create(inv, $"rescale {RescaleSlope ?? 1}/{RescaleIntercept ?? 0}"));
        if (WindowCenter is not null) parts.Add(string.Create(inv, $"window {WindowCenter}/{WindowWidth}"));
        if (PixelSpacing is not null) parts.Add("spacing " + string.Join('\\', PixelSpacing.Select(v => v.ToString(inv))));
        if (SliceThickness is not null) parts.Add(string.Create(inv, $"thickness {SliceThickness}"));
        if (PatientId is not null) parts.Add($"patient {PatientId}");
        parts.Add($"series {SeriesInstanceUid}");
        parts.Add(PixelsDecode switch { true => $"pixels ok sha256 {Frame0Sha256}", false => $"pixels FAIL {PixelError}", null => "no pixels" });
        return string.Join(' ', parts);
    }
}
